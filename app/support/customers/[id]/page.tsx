import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { requireRole } from "@/lib/auth/guards";
import { durationText } from "@/lib/email/brand";
import { clientIp } from "@/lib/http/client-ip";
import { lifetimeMs } from "@/lib/reset-links";
import { customerOverview, liveSessionCount, parseId } from "@/lib/support";
import { DeskNav, When, actionLabel, purposeLabel, statusLabel } from "../../_lib/format";
import { EndSessionsForm } from "./end-sessions-form";
import { SendLinkForm } from "./send-link-form";

export const metadata: Metadata = { title: "Customer", robots: { index: false } };

export default async function CustomerPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const agent = await requireRole("agent", `/support/customers/${encodeURIComponent(id)}`);
  const customerId = parseId(id);
  if (!customerId) notFound();
  const db = await getDb();
  const overview = await customerOverview(db, agent.id, customerId, clientIp(await headers()));
  if (!overview) notFound();
  const liveSessions = (await liveSessionCount(db, agent.id, customerId)) ?? 0;
  const { customer, emails, activity, requests } = overview;

  return (
    <div className="stack">
      <DeskNav current="other" />
      <h1>{customer.email}</h1>
      <p className="status status-info">
        Breached data — name, address, phone, last four card digits — is never proof of identity: help only through
        the email on file.
      </p>
      <dl className="facts">
        <dt>Name</dt>
        <dd>{customer.name ?? <span className="muted">not given</span>}</dd>
        <dt>Account</dt>
        <dd>
          {customer.role}
          {customer.disabledAt ? (
            <>
              {" "}
              · <strong>disabled</strong> since <When at={customer.disabledAt} />
            </>
          ) : null}{" "}
          · created <When at={customer.createdAt} />
        </dd>
      </dl>

      <h2>Password status</h2>
      <dl className="facts">
        <dt>Expired since</dt>
        <dd>{customer.passwordExpiredAt ? <When at={customer.passwordExpiredAt} /> : "Not expired"}</dd>
        <dt>Changed at</dt>
        <dd>
          <When at={customer.passwordChangedAt} />
        </dd>
      </dl>
      <SendLinkForm customerId={customer.id} lifetime={durationText(lifetimeMs("agent"))} />

      <h2>Sessions</h2>
      <p>
        {liveSessions === 1 ? "1 live session" : `${liveSessions} live sessions`} (devices where the customer is signed in).
      </p>
      <EndSessionsForm customerId={customer.id} />

      <h2 id="activity-heading">Activity</h2>
      {activity.length === 0 ? (
        <p>No activity recorded.</p>
      ) : (
        <div className="table-wrap">
          <table aria-labelledby="activity-heading">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">By</th>
                <th scope="col">IP</th>
              </tr>
            </thead>
            <tbody>
              {activity.map((a) => (
                <tr key={a.id}>
                  <td>
                    <When at={a.at} />
                  </td>
                  <td>
                    {actionLabel(a.action)}
                    {a.purpose ? <span className="muted"> ({purposeLabel(a.purpose)})</span> : null}
                  </td>
                  <td>{a.actorIsCustomer ? "the customer" : (a.actorEmail ?? "the system")}</td>
                  <td>{a.ip ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2 id="emails-heading">Emails sent</h2>
      {emails.length === 0 ? (
        <p>No emails sent to this customer.</p>
      ) : (
        <div className="table-wrap">
          <table aria-labelledby="emails-heading">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Subject</th>
                <th scope="col">Delivery</th>
              </tr>
            </thead>
            <tbody>
              {emails.map((e) => (
                <tr key={e.id}>
                  <td>
                    <When at={e.createdAt} />
                  </td>
                  <td>{e.subject}</td>
                  <td>
                    <span className="tag">{e.status}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2>Support requests</h2>
      {requests.length === 0 ? (
        <p>No support requests.</p>
      ) : (
        <ul>
          {requests.map((r) => (
            <li key={r.id}>
              <Link href={`/support/requests/${r.id}`}>{r.reference}</Link> · {statusLabel(r.status)} · received{" "}
              <When at={r.createdAt} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
