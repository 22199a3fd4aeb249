// Device sessions (issue 16, docs/decisions/0011-device-sessions.md): one row
// per sign-in, its id carried in the JWT as `sid`. Ending a row kills that one
// session on every instance at its next request; idle rows end by themselves.
import { randomBytes } from "node:crypto";
import { and, desc, eq, isNull, ne, sql } from "drizzle-orm";
import UAParser from "ua-parser-js";
import { rowsOf, type Db } from "@/db/client";
import { deviceSessions, type SignInMethod } from "@/db/schema";
import { recordAudit } from "@/lib/audit";

export type EndReason = "signed_out" | "ended_by_user" | "ended_other" | "ended_by_staff" | "idle" | "passkeys_cleared";

/** Browser and system in plain words, from a maintained User-Agent parser. */
export function describeUserAgent(userAgent: string | null | undefined): { browser: string | null; os: string | null } {
  if (!userAgent) return { browser: null, os: null };
  const parsed = new UAParser(userAgent.slice(0, 512)).getResult();
  const browser = parsed.browser.name ? [parsed.browser.name, parsed.browser.major].filter(Boolean).join(" ") : null;
  const os = parsed.os.name ? [parsed.os.name, parsed.os.version].filter(Boolean).join(" ") : null;
  return { browser, os };
}

export type NewSession = { userId: number; method: SignInMethod; userAgent: string | null; ip: string | null };

/** A session record for a sign-in that just succeeded; its id goes into the JWT. */
export async function createDeviceSession(db: Db, input: NewSession): Promise<string> {
  const id = randomBytes(18).toString("base64url");
  const { browser, os } = describeUserAgent(input.userAgent);
  await db.insert(deviceSessions).values({
    id,
    userId: input.userId,
    method: input.method,
    userAgent: input.userAgent?.slice(0, 512) ?? null,
    browser,
    os,
    ip: input.ip,
  });
  await recordAudit(db, {
    action: "session.created",
    actorId: input.userId,
    subjectId: input.userId,
    ip: input.ip,
    detail: { method: input.method, browser, os },
  });
  return id;
}

export type LiveSession = {
  id: string;
  method: SignInMethod;
  createdAt: Date;
  lastSeenAt: Date;
  browser: string | null;
  os: string | null;
  ip: string | null;
};

/** The account's live sessions (not ended, not idle), most recently used first. */
export async function liveSessionsOf(db: Db, userId: number, idleMinutes: number): Promise<LiveSession[]> {
  return db
    .select({
      id: deviceSessions.id,
      method: deviceSessions.method,
      createdAt: deviceSessions.createdAt,
      lastSeenAt: deviceSessions.lastSeenAt,
      browser: deviceSessions.browser,
      os: deviceSessions.os,
      ip: deviceSessions.ip,
    })
    .from(deviceSessions)
    .where(and(eq(deviceSessions.userId, userId), isNull(deviceSessions.endedAt), liveCondition(idleMinutes)))
    .orderBy(desc(deviceSessions.lastSeenAt));
}

function liveCondition(idleMinutes: number) {
  return sql`${deviceSessions.lastSeenAt} > now() - make_interval(mins => ${idleMinutes}::int)
    and ${deviceSessions.createdAt} > now() - interval '8 hours'`;
}

/** How many sessions of the account are live (for agents: a count, never ids). */
export async function countLiveSessions(db: Db, userId: number, idleMinutes: number): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(deviceSessions)
    .where(and(eq(deviceSessions.userId, userId), isNull(deviceSessions.endedAt), liveCondition(idleMinutes)));
  return Number(row?.n ?? 0);
}

type Ender = { userId: number; actorId: number; ip: string | null; reason: EndReason };

/** Ends one session of the account (refuses another account's id); true when it was live. */
export async function endDeviceSession(db: Db, sessionId: string, who: Ender): Promise<boolean> {
  return db.transaction(async (tx) => {
    const ended = await tx
      .update(deviceSessions)
      .set({ endedAt: sql`now()`, endReason: who.reason })
      .where(and(eq(deviceSessions.id, sessionId), eq(deviceSessions.userId, who.userId), isNull(deviceSessions.endedAt)))
      .returning({ id: deviceSessions.id, method: deviceSessions.method, browser: deviceSessions.browser, os: deviceSessions.os });
    if (ended.length === 0) return false;
    await recordAudit(tx, {
      action: "session.ended",
      actorId: who.actorId,
      subjectId: who.userId,
      ip: who.ip,
      detail: { how: who.reason, sessions: 1, method: ended[0].method, browser: ended[0].browser, os: ended[0].os },
    });
    return true;
  });
}

/** Ends every live session of the account but `keep` (null: all of them). */
export async function endSessionsExcept(db: Db, keep: string | null, who: Ender): Promise<number> {
  return db.transaction(async (tx) => {
    const conditions = [eq(deviceSessions.userId, who.userId), isNull(deviceSessions.endedAt)];
    if (keep) conditions.push(ne(deviceSessions.id, keep));
    const ended = await tx
      .update(deviceSessions)
      .set({ endedAt: sql`now()`, endReason: who.reason })
      .where(and(...conditions))
      .returning({ id: deviceSessions.id });
    await recordAudit(tx, {
      action: "session.ended",
      actorId: who.actorId,
      subjectId: who.userId,
      ip: who.ip,
      detail: { how: who.reason, sessions: ended.length },
    });
    return ended.length;
  });
}

/** Marks the session seen now, at most once a minute (the condition makes concurrent requests cheap). */
export async function touchDeviceSession(db: Db, sessionId: string): Promise<void> {
  await db.execute(sql`update device_sessions set last_seen_at = now()
    where id = ${sessionId} and ended_at is null and last_seen_at < now() - interval '1 minute'`);
}

/** Records that an idle session ended (once; the check refuses it either way). */
export async function endIdleSession(db: Db, sessionId: string, userId: number): Promise<void> {
  const ended = rowsOf<{ id: string }>(
    await db.execute(sql`update device_sessions set ended_at = now(), end_reason = 'idle'
      where id = ${sessionId} and ended_at is null returning id`),
  );
  if (ended.length > 0) {
    await recordAudit(db, { action: "session.ended", subjectId: userId, detail: { how: "idle", sessions: 1 } });
  }
}
