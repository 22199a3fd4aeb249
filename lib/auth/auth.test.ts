import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, users } from "@/db/schema";
import { upsertUser } from "@/lib/accounts";
import { hashingAdmission } from "@/lib/passwords";
import { uniqueEmail, withTestDb } from "@/test/db";
import { hash } from "@node-rs/argon2";
import { authenticate } from "./authenticate";
import { createDeviceSession } from "@/lib/sessions";
import { sessionStateFor } from "./session-state";

const testDb = withTestDb();
const PASSWORD = "a perfectly fine passphrase";

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

describe("authenticate (SPEC 4.2)", () => {
  it("signs in with the right password, and never with an expired one, right or wrong", async () => {
    const { db } = testDb();
    const email = uniqueEmail();
    const { id } = await upsertUser(db, { email, role: "customer", password: PASSWORD });
    expect(await authenticate(db, email.toUpperCase(), PASSWORD, "198.51.100.1")).toMatchObject({ ok: true, user: { id } });
    expect(await authenticate(db, email, PASSWORD + "x", null)).toEqual({ ok: false });
    await db.update(users).set({ passwordExpiredAt: new Date() }).where(eq(users.id, id));
    expect(await authenticate(db, email, PASSWORD, null)).toEqual({ ok: false });
    const events = await db.select({ action: auditEvents.action, detail: auditEvents.detail }).from(auditEvents).where(eq(auditEvents.subjectId, id));
    expect(events.map((e) => e.action)).toContain("sign_in.success");
    expect(events.at(-1)).toMatchObject({ action: "sign_in.failure", detail: { reason: "expired" } });
    expect(JSON.stringify(events)).not.toContain(PASSWORD);
  });

  it("costs one Argon2 verify for known, unknown and expired accounts alike (timing reported)", async () => {
    const { db } = testDb();
    const known = uniqueEmail();
    await upsertUser(db, { email: known, role: "customer", password: PASSWORD });
    const admission = hashingAdmission();
    const original = admission.run.bind(admission);
    let calls = 0;
    admission.run = ((work: () => Promise<unknown>) => {
      calls++;
      return original(work);
    }) as typeof admission.run;
    const timings: Record<string, number[]> = { known: [], unknown: [] };
    try {
      for (let i = 0; i < 15; i++) {
        for (const [label, email] of [["known", known], ["unknown", uniqueEmail("ghost")]] as const) {
          calls = 0;
          const start = performance.now();
          await authenticate(db, email, "not the password at all", null);
          timings[label].push(performance.now() - start);
          expect(calls, label).toBe(1);
        }
      }
    } finally {
      admission.run = original;
    }
    console.log(
      `sign-in failure medians: known ${median(timings.known).toFixed(1)} ms, unknown ${median(timings.unknown).toFixed(1)} ms`,
    );
  });

  it("re-hashes a weaker stored hash at sign-in", async () => {
    const { db } = testDb();
    const email = uniqueEmail();
    const { id } = await upsertUser(db, { email, role: "customer" });
    const weak = await hash(PASSWORD, { algorithm: 2, memoryCost: 4096, timeCost: 1, parallelism: 1 });
    await db.update(users).set({ passwordHash: weak, passwordExpiredAt: null }).where(eq(users.id, id));
    expect(await authenticate(db, email, PASSWORD, null)).toMatchObject({ ok: true });
    const [row] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, id));
    expect(row.hash).toMatch(/m=19456,t=2,p=1/);
  });

  it("refuses absurd input (a megabyte password, a non-string) without hashing it", async () => {
    const { db } = testDb();
    expect(await authenticate(db, uniqueEmail(), "x".repeat(1_000_000), null)).toEqual({ ok: false });
    expect(await authenticate(db, { email: 1 }, ["a"], null)).toEqual({ ok: false });
  });
});

describe("session state (SPEC 4.1, 4.3)", () => {
  it("is active, then blocked by an expiry, then dead once the version moves on", async () => {
    const { db } = testDb();
    const { id } = await upsertUser(db, { email: uniqueEmail(), role: "agent", password: PASSWORD });
    const [row] = await db.select({ sv: users.sessionVersion }).from(users).where(eq(users.id, id));
    const sid = await createDeviceSession(db, { userId: id, method: "password", userAgent: null, ip: null });
    const claims = { uid: id, sv: row.sv, sid };
    expect(await sessionStateFor(db, claims)).toMatchObject({ state: "active", user: { id, role: "agent" } });
    await db.update(users).set({ passwordExpiredAt: new Date() }).where(eq(users.id, id));
    expect(await sessionStateFor(db, claims)).toMatchObject({ state: "blocked" });
    await db.update(users).set({ sessionVersion: sql`${users.sessionVersion} + 1`, passwordExpiredAt: null }).where(eq(users.id, id));
    expect(await sessionStateFor(db, claims)).toEqual({ state: "anonymous" });
  });

  it("is dead for a disabled account and for forged claims", async () => {
    const { db } = testDb();
    const { id } = await upsertUser(db, { email: uniqueEmail(), role: "customer", password: PASSWORD });
    const [row] = await db.select({ sv: users.sessionVersion }).from(users).where(eq(users.id, id));
    const sid = await createDeviceSession(db, { userId: id, method: "password", userAgent: null, ip: null });
    expect(await sessionStateFor(db, { uid: id, sv: row.sv, sid })).toMatchObject({ state: "active" });
    expect(await sessionStateFor(db, { uid: id, sv: row.sv })).toEqual({ state: "anonymous" });
    await db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, id));
    expect(await sessionStateFor(db, { uid: id, sv: row.sv, sid })).toEqual({ state: "anonymous" });
    for (const claims of [null, {}, { uid: "1 or 1=1", sv: 1 }, { uid: id, sv: "x" }, { uid: -1, sv: 1 }]) {
      expect(await sessionStateFor(db, claims)).toEqual({ state: "anonymous" });
    }
  });
});
