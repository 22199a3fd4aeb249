// The live state of a session, read from the database on every request: a
// session is dead when its account's session version moved on (password
// change, end-sessions), the account was disabled, or its own record ended or
// went idle (issue 16); blocked while the account's password is expired
// (SPEC 4.1, 4.3), except a passkey session opened after the expiry.
import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import type { SignInMethod, UserRole } from "@/db/schema";
import { env } from "@/lib/env";
import { endIdleSession, touchDeviceSession } from "@/lib/sessions";
import type { SessionUser } from "./roles";

export type SessionState =
  | { state: "anonymous" }
  | { state: "active"; user: SessionUser; sessionId: string }
  | { state: "blocked"; user: SessionUser; sessionId: string };

export type SessionClaims = { uid?: unknown; sv?: unknown; sid?: unknown };

type Row = {
  id: number | string;
  email: string;
  name: string | null;
  role: UserRole;
  session_version: number;
  password_expired_at: Date | string | null;
  disabled_at: Date | string | null;
  method: SignInMethod | null;
  created_at: Date | string | null;
  ended_at: Date | string | null;
  fresh: boolean | null;
  stale: boolean | null;
};

export async function sessionStateFor(db: Db, claims: SessionClaims | null | undefined): Promise<SessionState> {
  const uid = Number(claims?.uid);
  const sv = Number(claims?.sv);
  const sid = typeof claims?.sid === "string" && claims.sid.length <= 64 ? claims.sid : null;
  if (!Number.isSafeInteger(uid) || uid <= 0 || !Number.isSafeInteger(sv) || !sid) return { state: "anonymous" };
  const idle = env().SESSION_IDLE_MINUTES;
  // One indexed read by primary keys: the account and this session's record.
  const [row] = rowsOf<Row>(
    await db.execute(sql`
      select u.id, u.email, u.name, u.role, u.session_version, u.password_expired_at, u.disabled_at,
        s.method, s.created_at, s.ended_at,
        (s.last_seen_at > now() - make_interval(mins => ${idle}::int) and s.created_at > now() - interval '8 hours') as fresh,
        (s.last_seen_at < now() - interval '1 minute') as stale
      from users u left join device_sessions s on s.id = ${sid} and s.user_id = u.id
      where u.id = ${uid}`),
  );
  if (!row || row.disabled_at || Number(row.session_version) !== sv) return { state: "anonymous" };
  if (!row.method || row.ended_at) return { state: "anonymous" };
  if (!row.fresh) {
    await endIdleSession(db, sid, uid);
    return { state: "anonymous" };
  }
  if (row.stale) await touchDeviceSession(db, sid);
  const user: SessionUser = { id: Number(row.id), email: row.email, name: row.name, role: row.role };
  const expiredAt = row.password_expired_at ? new Date(row.password_expired_at) : null;
  // A passkey sign-in after the expiry used no password the thief could have cracked.
  const blocked = expiredAt !== null && !(row.method === "passkey" && new Date(row.created_at!) >= expiredAt);
  return blocked ? { state: "blocked", user, sessionId: sid } : { state: "active", user, sessionId: sid };
}

/** The current request's session (next-auth's JWT, re-checked against the database). */
export async function loadSessionState(): Promise<SessionState> {
  const { auth } = await import("./config");
  const session = await auth();
  if (!session?.user) return { state: "anonymous" };
  const { id, email, name, role, blocked, sid } = session.user as unknown as SessionUser & { blocked?: boolean; sid?: string };
  if (!id || !sid) return { state: "anonymous" };
  const user: SessionUser = { id, email, name, role };
  return blocked ? { state: "blocked", user, sessionId: sid } : { state: "active", user, sessionId: sid };
}
