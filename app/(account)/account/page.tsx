import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { auditEventsFor } from "@/lib/audit";
import { describeAuditEvent } from "@/lib/audit/describe";
import { findUserById } from "@/lib/accounts";
import { currentSession, requireUser } from "@/lib/auth/guards";
import { env } from "@/lib/env";
import { passkeyOfferDue, passkeysOf } from "@/lib/passkeys";
import { liveSessionsOf } from "@/lib/sessions";
import { PasskeyOffer } from "./passkey-offer";
import { PasskeysSection } from "./passkeys-section";
import { SessionsSection } from "./sessions-section";

export const metadata: Metadata = { title: "Your account" };

function formatDate(date: Date) {
  return date.toUTCString().replace("GMT", "UTC");
}

const sessionNotices: Record<string, string> = {
  ended: "That device was signed out.",
  others: "You were signed out everywhere else.",
};

export default async function AccountPage({ searchParams }: { searchParams: Promise<{ sessions?: string; passkeys?: string }> }) {
  const sessionUser = await requireUser("/account");
  const session = await currentSession();
  const currentId = session.state === "anonymous" ? "" : session.sessionId;
  const { sessions: sessionsStatus, passkeys: passkeysStatus } = await searchParams;
  const db = await getDb();
  const user = await findUserById(db, sessionUser.id);
  const events = await auditEventsFor(db, sessionUser.id, 50);
  const sessions = await liveSessionsOf(db, sessionUser.id, env().SESSION_IDLE_MINUTES);
  const keys = await passkeysOf(db, sessionUser.id);
  const offer = await passkeyOfferDue(db, sessionUser.id, keys.length);
  return (
    <div className="stack">
      <h1>Your account</h1>
      {offer ? <PasskeyOffer /> : null}
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
      <SessionsSection
        sessions={sessions}
        currentId={currentId}
        notice={typeof sessionsStatus === "string" ? sessionNotices[sessionsStatus] : undefined}
      />
      <PasskeysSection keys={keys} offerShown={offer} status={typeof passkeysStatus === "string" ? passkeysStatus : undefined} />
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
