import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { requireRole } from "@/lib/auth/guards";
import { listQueue, parseQueueFilter, queueFilters, type QueueFilter } from "@/lib/support";
import { channelLabels, Flash, When, statusLabel } from "./_lib/format";
import { claimAction, releaseAction } from "./actions";
import { LookupForm } from "./lookup-form";

export const metadata: Metadata = { title: "Support desk", robots: { index: false } };

const filterLabels: Record<QueueFilter, string> = {
  open: "Open",
  mine: "Mine",
  waiting: "Waiting on customer",
  resolved: "Resolved",
};

export default async function SupportDeskPage({
  searchParams,
}: {
  searchParams: Promise<{ filter?: string; flash?: string }>;
}) {
  const agent = await requireRole("agent", "/support");
  const { filter: asked, flash } = await searchParams;
  const filter = parseQueueFilter(asked);
  const { rows, counts } = await listQueue(await getDb(), agent.id, filter);

  return (
    <div className="stack">
      <h1>Support desk</h1>
      <Flash code={flash} />
      <p className="status status-info">
        Breached data (name, address, phone, last four card digits) and the From: of an email are never proof of
        identity: the email on file is the only channel we trust.
      </p>
      <LookupForm />

      <h2 id="requests-heading">Requests</h2>
      <nav aria-label="Request filters" className="filter-nav">
        <ul>
          {queueFilters.map((f) => (
            <li key={f}>
              <Link href={`/support?filter=${f}`} aria-current={f === filter ? "page" : undefined}>
                {filterLabels[f]} ({counts[f]})
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {rows.length === 0 ? (
        <p>No {filterLabels[filter].toLowerCase()} requests.</p>
      ) : (
        <div className="table-wrap">
          <table aria-labelledby="requests-heading">
            <caption className="muted">
              {filterLabels[filter]} requests, oldest first
            </caption>
            <thead>
              <tr>
                <th scope="col">Reference</th>
                <th scope="col">From</th>
                <th scope="col">Received</th>
                <th scope="col">Status</th>
                <th scope="col">Agent</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id}>
                  <td>
                    <Link href={`/support/requests/${row.id}`}>{row.reference}</Link>{" "}
                    <span className="tag" data-testid="request-channel">
                      {channelLabels[row.channel]}
                    </span>
                  </td>
                  <td>
                    {row.name}
                    <br />
                    <span className="muted">{row.email}</span>
                  </td>
                  <td>
                    <When at={row.createdAt} />
                  </td>
                  <td>
                    <span className="tag">{statusLabel(row.status)}</span>
                  </td>
                  <td>{row.assignedTo === agent.id ? "You" : (row.assigneeEmail ?? "Unassigned")}</td>
                  <td>
                    {row.status === "resolved" ? null : row.assignedTo === null ? (
                      <form action={claimAction}>
                        <input type="hidden" name="requestId" value={row.id} />
                        <input type="hidden" name="filter" value={filter} />
                        <button type="submit" aria-label={`Claim ${row.reference}`}>
                          Claim
                        </button>
                      </form>
                    ) : row.assignedTo === agent.id || agent.role === "admin" ? (
                      <form action={releaseAction}>
                        <input type="hidden" name="requestId" value={row.id} />
                        <input type="hidden" name="filter" value={filter} />
                        <button type="submit" className="secondary" aria-label={`Release ${row.reference}`}>
                          Release
                        </button>
                      </form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
