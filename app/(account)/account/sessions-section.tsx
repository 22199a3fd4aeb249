import type { LiveSession } from "@/lib/sessions";
import { endEveryOtherSession, endOtherSession } from "./session-actions";

function formatDate(date: Date) {
  return date.toUTCString().replace("GMT", "UTC");
}

function deviceName(s: LiveSession) {
  if (s.browser && s.os) return `${s.browser} on ${s.os}`;
  return s.browser ?? s.os ?? "Unknown device";
}

export function SessionsSection({ sessions, currentId, notice }: { sessions: LiveSession[]; currentId: string; notice?: string }) {
  const others = sessions.filter((s) => s.id !== currentId);
  return (
    <section aria-labelledby="sessions" className="stack">
      <h2 id="sessions">Where you&apos;re signed in</h2>
      {notice ? (
        <p className="status status-ok" role="status">
          {notice}
        </p>
      ) : null}
      <ul className="stack plain-list">
        {sessions.map((s) => {
          const current = s.id === currentId;
          const labelId = `session-${s.id}`;
          return (
            <li key={s.id} className="panel" aria-labelledby={labelId}>
              <p>
                <strong id={labelId}>{deviceName(s)}</strong>
                {current ? <span className="badge"> · This device</span> : null}
              </p>
              <p className="muted">
                Signed in with {s.method === "passkey" ? "a passkey" : "a password"} on{" "}
                <time dateTime={s.createdAt.toISOString()}>{formatDate(s.createdAt)}</time>
                {" · "}last active <time dateTime={s.lastSeenAt.toISOString()}>{formatDate(s.lastSeenAt)}</time>
                {s.ip ? ` · from ${s.ip}` : ""}
              </p>
              {current ? null : (
                <form action={endOtherSession}>
                  <input type="hidden" name="sessionId" value={s.id} />
                  <button type="submit" className="secondary" aria-describedby={labelId}>
                    Sign out
                  </button>
                </form>
              )}
            </li>
          );
        })}
      </ul>
      {others.length > 0 ? (
        <form action={endEveryOtherSession}>
          <button type="submit" className="secondary">
            Sign out everywhere else
          </button>
        </form>
      ) : (
        <p>You are not signed in anywhere else.</p>
      )}
    </section>
  );
}
