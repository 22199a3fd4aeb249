import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { auditEventsFor } from "@/lib/audit";
import { describeAuditEvent } from "@/lib/audit/describe";
import { findUserById } from "@/lib/accounts";
import { requireUser } from "@/lib/auth/guards";

export const metadata: Metadata = { title: "Your account" };

function formatDate(date: Date) {
  return date.toUTCString().replace("GMT", "UTC");
}

export default async function AccountPage() {
  const sessionUser = await requireUser("/account");
  const db = await getDb();
  const user = await findUserById(db, sessionUser.id);
  const events = await auditEventsFor(db, sessionUser.id, 50);
  return (
    <div className="stack">
      <h1>Your account</h1>
      <div className="panel">
        <p>
          Signed in as <strong>{user?.email}</strong>
          {user?.name ? ` (${user.name})` : ""}.
        </p>
        <p>
          Password last changed:{" "}
          {user?.passwordChangedAt ? (
            <time dateTime={user.passwordChangedAt.toISOString()}>{formatDate(user.passwordChangedAt)}</time>
          ) : (
            "never"
          )}
          .
        </p>
      </div>
      <h2>Security activity</h2>
      {events.length === 0 ? (
        <p>No activity yet.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">Recent security events on your account, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When (UTC)</th>
                <th scope="col">What happened</th>
                <th scope="col">From</th>
              </tr>
            </thead>
            <tbody>
              {events.map((event) => (
                <tr key={event.id}>
                  <td>
                    <time dateTime={event.at.toISOString()}>{formatDate(event.at)}</time>
                  </td>
                  <td>{describeAuditEvent(event, sessionUser.id)}</td>
                  <td>{event.ip ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
