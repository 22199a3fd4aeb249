import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, users } from "@/db/schema";
import { uniqueEmail, withTestDb } from "@/test/db";
import { upsertUser } from "./index";

const testDb = withTestDb();

describe("upsertUser (create-user)", () => {
  it("creates an account with an Argon2id hash of the NFKC password", async () => {
    const { db } = testDb();
    const email = uniqueEmail("Agent").toUpperCase();
    const result = await upsertUser(db, { email, role: "agent", password: "a calm evening by the lake" });
    expect(result).toMatchObject({ created: true, expired: false });
    const [row] = await db.select().from(users).where(eq(users.id, result.id));
    expect(row.email).toBe(email.toLowerCase());
    expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row.passwordExpiredAt).toBeNull();
    const events = await db.select().from(auditEvents).where(eq(auditEvents.subjectId, result.id));
    expect(events.map((e) => e.action)).toEqual(["user.created"]);
    expect(JSON.stringify(events)).not.toContain("argon2");
  });

  it("starts an account without a password expired", async () => {
    const { db } = testDb();
    const result = await upsertUser(db, { email: uniqueEmail(), role: "customer" });
    expect(result).toMatchObject({ created: true, expired: true });
  });

  it("refuses a bad password, role or email and creates nothing", async () => {
    const { db } = testDb();
    const before = (await db.select({ id: users.id }).from(users)).length;
    await expect(upsertUser(db, { email: uniqueEmail(), role: "agent", password: "short" })).rejects.toThrow(
      /at least 15 characters/,
    );
    // The CLI and the seed go through the server's check, breach corpus included.
    await expect(upsertUser(db, { email: uniqueEmail(), role: "agent", password: "PerAsperaAdAstra" })).rejects.toThrow(
      /leaked passwords/,
    );
    await expect(upsertUser(db, { email: uniqueEmail(), role: "agent", password: "123451234512345" })).rejects.toThrow(
      /repeats/,
    );
    await expect(upsertUser(db, { email: uniqueEmail(), role: "boss" })).rejects.toThrow(/Unknown role/);
    await expect(upsertUser(db, { email: "not-an-email", role: "agent" })).rejects.toThrow(/Invalid email/);
    expect((await db.select({ id: users.id }).from(users)).length).toBe(before);
  });

  it("updates an existing account and moves its session version on a new password", async () => {
    const { db } = testDb();
    const email = uniqueEmail();
    const first = await upsertUser(db, { email, role: "customer" });
    const second = await upsertUser(db, { email, role: "agent", password: "another long passphrase here" });
    expect(second).toMatchObject({ id: first.id, created: false, expired: false });
    const [row] = await db.select().from(users).where(eq(users.id, first.id));
    expect(row.role).toBe("agent");
    expect(row.sessionVersion).toBe(2);
  });
});
