// The live state of a session, read from the database on every request: a
// session is dead when its account's session version moved on (password
// change, end-sessions) or the account was disabled; blocked while the
// account's password is expired (SPEC 4.1, 4.3).
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import type { SessionUser } from "./roles";

export type SessionState =
  | { state: "anonymous" }
  | { state: "active"; user: SessionUser }
  | { state: "blocked"; user: SessionUser };

export type SessionClaims = { uid?: unknown; sv?: unknown };

export async function sessionStateFor(db: Db, claims: SessionClaims | null | undefined): Promise<SessionState> {
  const uid = Number(claims?.uid);
  const sv = Number(claims?.sv);
  if (!Number.isSafeInteger(uid) || uid <= 0 || !Number.isSafeInteger(sv)) return { state: "anonymous" };
  const [row] = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      sessionVersion: users.sessionVersion,
      passwordExpiredAt: users.passwordExpiredAt,
      disabledAt: users.disabledAt,
    })
    .from(users)
    .where(eq(users.id, uid));
  if (!row || row.disabledAt || row.sessionVersion !== sv) return { state: "anonymous" };
  const user: SessionUser = { id: row.id, email: row.email, name: row.name, role: row.role };
  return row.passwordExpiredAt ? { state: "blocked", user } : { state: "active", user };
}

/** The current request's session (next-auth's JWT, re-checked against the database). */
export async function loadSessionState(): Promise<SessionState> {
  const { auth } = await import("./config");
  const session = await auth();
  if (!session?.user) return { state: "anonymous" };
  const { id, email, name, role, blocked } = session.user as unknown as SessionUser & { blocked?: boolean };
  if (!id) return { state: "anonymous" };
  const user: SessionUser = { id, email, name, role };
  return blocked ? { state: "blocked", user } : { state: "active", user };
}
