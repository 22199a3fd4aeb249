// Device sessions (issue 16): each sign-in its own record; ending one kills
// only that one; idle and old sessions are refused by the per-request check.
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, deviceSessions, users } from "@/db/schema";
import { upsertUser } from "@/lib/accounts";
import { sessionStateFor } from "@/lib/auth/session-state";
import { uniqueEmail, withTestDb } from "@/test/db";
import { countLiveSessions, createDeviceSession, describeUserAgent, endDeviceSession, endSessionsExcept, liveSessionsOf } from "./index";

const testDb = withTestDb();
const PASSWORD = "Lantern-Quokka-7319-Ribbon";
const CHROME_MAC =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

async function account() {
  const { db } = testDb();
  const { id } = await upsertUser(db, { email: uniqueEmail("sessions"), role: "customer", password: PASSWORD });
  const [row] = await db.select({ sv: users.sessionVersion }).from(users).where(eq(users.id, id));
  const open = async (method: "password" | "passkey" = "password") => {
    const sid = await createDeviceSession(db, { userId: id, method, userAgent: CHROME_MAC, ip: "203.0.113.9" });
    return { uid: id, sv: row.sv, sid };
  };
  return { db, id, open };
}

describe("device sessions", () => {
  it("reads browser and system from the User-Agent", () => {
    expect(describeUserAgent(CHROME_MAC)).toEqual({ browser: "Chrome 131", os: "Mac OS 10.15.7" });
    expect(describeUserAgent(null)).toEqual({ browser: null, os: null });
  });

  it("records each sign-in with how it was made, audited", async () => {
    const { db, id, open } = await account();
    const a = await open("password");
    await open("passkey");
    const live = await liveSessionsOf(db, id, 30);
    expect(live).toHaveLength(2);
    expect(live.find((s) => s.id === a.sid)).toMatchObject({ method: "password", browser: "Chrome 131", ip: "203.0.113.9" });
    const created = await db.select({ detail: auditEvents.detail }).from(auditEvents).where(and(eq(auditEvents.subjectId, id), eq(auditEvents.action, "session.created")));
    expect(created.map((e) => e.detail?.method).sort()).toEqual(["passkey", "password"]);
  });

  it("ending one session kills that one only; the account's others live on", async () => {
    const { db, id, open } = await account();
    const a = await open();
    const b = await open();
    expect(await endDeviceSession(db, b.sid, { userId: id, actorId: id, ip: null, reason: "ended_by_user" })).toBe(true);
    expect(await sessionStateFor(db, b)).toEqual({ state: "anonymous" });
    expect(await sessionStateFor(db, a)).toMatchObject({ state: "active" });
    const [audit] = await db.select({ detail: auditEvents.detail }).from(auditEvents).where(and(eq(auditEvents.subjectId, id), eq(auditEvents.action, "session.ended")));
    expect(audit.detail).toMatchObject({ how: "ended_by_user", sessions: 1 });
  });

  it("never ends another account's session, whatever id is sent", async () => {
    const mine = await account();
    const theirs = await account();
    const victim = await theirs.open();
    expect(await endDeviceSession(mine.db, victim.sid, { userId: mine.id, actorId: mine.id, ip: null, reason: "ended_by_user" })).toBe(false);
    expect(await sessionStateFor(mine.db, victim)).toMatchObject({ state: "active" });
    // Nor does a session id work under another account's claims.
    expect(await sessionStateFor(mine.db, { ...victim, uid: mine.id })).toEqual({ state: "anonymous" });
  });

  it("'everywhere else' ends all but this one; agents' end-all ends every one", async () => {
    const { db, id, open } = await account();
    const [a, b, c] = [await open(), await open(), await open()];
    expect(await endSessionsExcept(db, a.sid, { userId: id, actorId: id, ip: null, reason: "ended_other" })).toBe(2);
    expect((await sessionStateFor(db, a)).state).toBe("active");
    expect((await sessionStateFor(db, b)).state).toBe("anonymous");
    expect((await sessionStateFor(db, c)).state).toBe("anonymous");
    expect(await countLiveSessions(db, id, 30)).toBe(1);
    await endSessionsExcept(db, null, { userId: id, actorId: id, ip: null, reason: "ended_by_staff" });
    expect(await countLiveSessions(db, id, 30)).toBe(0);
    expect((await sessionStateFor(db, a)).state).toBe("anonymous");
  });

  it("refuses an idle session (SESSION_IDLE_MINUTES, default 30) and records that it ended", async () => {
    const { db, id, open } = await account();
    const s = await open();
    await db.update(deviceSessions).set({ lastSeenAt: sql`now() - interval '29 minutes'` }).where(eq(deviceSessions.id, s.sid));
    expect((await sessionStateFor(db, s)).state).toBe("active");
    // That request counted as activity: the session is fresh again.
    const [seen] = await db.select({ at: deviceSessions.lastSeenAt }).from(deviceSessions).where(eq(deviceSessions.id, s.sid));
    expect(Date.now() - seen.at.getTime()).toBeLessThan(60_000);
    await db.update(deviceSessions).set({ lastSeenAt: sql`now() - interval '31 minutes'` }).where(eq(deviceSessions.id, s.sid));
    expect(await sessionStateFor(db, s)).toEqual({ state: "anonymous" });
    const [row] = await db.select({ endedAt: deviceSessions.endedAt, reason: deviceSessions.endReason }).from(deviceSessions).where(eq(deviceSessions.id, s.sid));
    expect(row.endedAt).not.toBeNull();
    expect(row.reason).toBe("idle");
    // Once ended it stays ended, even if its last-seen time were recent again.
    await db.update(deviceSessions).set({ lastSeenAt: sql`now()` }).where(eq(deviceSessions.id, s.sid));
    expect(await sessionStateFor(db, s)).toEqual({ state: "anonymous" });
    expect(await countLiveSessions(db, id, 30)).toBe(0);
  });

  it("refuses a session older than the 8-hour absolute lifetime, however active", async () => {
    const { db, open } = await account();
    const s = await open();
    await db.update(deviceSessions).set({ createdAt: sql`now() - interval '8 hours 1 minute'`, lastSeenAt: sql`now()` }).where(eq(deviceSessions.id, s.sid));
    expect(await sessionStateFor(db, s)).toEqual({ state: "anonymous" });
  });

  it("records last seen at most once a minute", async () => {
    const { db, open } = await account();
    const s = await open();
    await db.update(deviceSessions).set({ lastSeenAt: sql`now() - interval '30 seconds'` }).where(eq(deviceSessions.id, s.sid));
    const [before] = await db.select({ at: deviceSessions.lastSeenAt }).from(deviceSessions).where(eq(deviceSessions.id, s.sid));
    await sessionStateFor(db, s);
    const [after] = await db.select({ at: deviceSessions.lastSeenAt }).from(deviceSessions).where(eq(deviceSessions.id, s.sid));
    expect(after.at.getTime()).toBe(before.at.getTime());
  });

  it("an expiry blocks every session opened before it; a passkey session opened after it is not blocked", async () => {
    const { db, id, open } = await account();
    const before = await open("passkey");
    const beforePassword = await open("password");
    await db.update(users).set({ passwordExpiredAt: sql`now() - interval '1 second'` }).where(eq(users.id, id));
    await db.update(deviceSessions).set({ createdAt: sql`now() - interval '1 minute'` }).where(eq(deviceSessions.id, before.sid));
    await db.update(deviceSessions).set({ createdAt: sql`now() - interval '1 minute'` }).where(eq(deviceSessions.id, beforePassword.sid));
    expect((await sessionStateFor(db, before)).state).toBe("blocked");
    expect((await sessionStateFor(db, beforePassword)).state).toBe("blocked");
    const after = await open("passkey");
    expect((await sessionStateFor(db, after)).state).toBe("active");
  });

  it("a password change (the version moving on) still ends every session", async () => {
    const { db, id, open } = await account();
    const a = await open();
    const b = await open("passkey");
    await db.update(users).set({ sessionVersion: sql`${users.sessionVersion} + 1` }).where(eq(users.id, id));
    expect((await sessionStateFor(db, a)).state).toBe("anonymous");
    expect((await sessionStateFor(db, b)).state).toBe("anonymous");
  });
});
