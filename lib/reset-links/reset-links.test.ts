import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { resetTokens, users } from "@/db/schema";
import { upsertUser } from "@/lib/accounts";
import { hashingAdmission } from "@/lib/passwords";
import { listMailbox } from "@/lib/email/mailbox";
import { uniqueEmail, withTestDb } from "@/test/db";
import { checkResetToken, hashToken, issueResetLink } from "./index";
import { requestSelfServiceLink, resetPasswordWithToken } from "./flows";

const testDb = withTestDb();
const tokenOf = (url: string) => url.split("/").pop()!;
const GOOD = "a brand new passphrase for me";

async function customer(password = "the old breached password 1") {
  const { db } = testDb();
  const email = uniqueEmail("cust");
  const { id } = await upsertUser(db, { email, role: "customer", password });
  return { id, email };
}

describe("reset tokens (SPEC 4.4)", () => {
  it("are 32 random bytes in base64url, stored only as SHA-256", async () => {
    const { db } = testDb();
    const { id } = await customer();
    const link = await issueResetLink(db, { userId: id, purpose: "self_service" });
    const token = tokenOf(link.url);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = await db.select().from(resetTokens).where(eq(resetTokens.userId, id));
    expect(rows).toHaveLength(1);
    expect(rows[0].tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it("live for their purpose's lifetime, then read as expired (a genuine link)", async () => {
    const { db } = testDb();
    const { id } = await customer();
    const link = await issueResetLink(db, { userId: id, purpose: "self_service" });
    const minutes = (link.expiresAt.getTime() - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(59);
    expect(minutes).toBeLessThanOrEqual(60);
    const agentLink = await issueResetLink(db, { userId: id, purpose: "agent" });
    expect((agentLink.expiresAt.getTime() - Date.now()) / 3_600_000).toBeGreaterThan(23.9);
    const later = new Date(Date.now() + 61 * 60_000);
    expect((await checkResetToken(db, tokenOf(link.url), later)).status).toBe("expired");
    expect((await checkResetToken(db, tokenOf(link.url))).status).toBe("valid");
  });

  it("opening (checking) never consumes; using it once does, and kills every other link", async () => {
    const { db } = testDb();
    const { id } = await customer();
    const agent = await issueResetLink(db, { userId: id, purpose: "agent" });
    const own = await issueResetLink(db, { userId: id, purpose: "self_service" });
    for (let i = 0; i < 3; i++) expect((await checkResetToken(db, tokenOf(own.url))).status).toBe("valid");
    const result = await resetPasswordWithToken(db, { token: tokenOf(own.url), password: GOOD, confirm: GOOD, ip: null });
    expect(result).toEqual({ ok: true });
    expect((await checkResetToken(db, tokenOf(own.url))).status).toBe("invalid");
    expect((await checkResetToken(db, tokenOf(agent.url))).status).toBe("invalid");
    const again = await resetPasswordWithToken(db, { token: tokenOf(own.url), password: GOOD + "x", confirm: GOOD + "x", ip: null });
    expect(again).toEqual({ ok: false, invalidLink: true });
  });

  it("a newer link of the same purpose kills the older one; other purposes live on", async () => {
    const { db } = testDb();
    const { id } = await customer();
    const older = await issueResetLink(db, { userId: id, purpose: "self_service" });
    const agent = await issueResetLink(db, { userId: id, purpose: "agent" });
    const newer = await issueResetLink(db, { userId: id, purpose: "self_service" });
    expect((await checkResetToken(db, tokenOf(older.url))).status).toBe("invalid");
    expect((await checkResetToken(db, tokenOf(newer.url))).status).toBe("valid");
    expect((await checkResetToken(db, tokenOf(agent.url))).status).toBe("valid");
  });

  it("an expiry after the link was issued kills it", async () => {
    const { db } = testDb();
    const { id } = await customer();
    const link = await issueResetLink(db, { userId: id, purpose: "campaign" });
    await db.update(users).set({ passwordExpiredAt: new Date(Date.now() + 1000) }).where(eq(users.id, id));
    expect((await checkResetToken(db, tokenOf(link.url))).status).toBe("invalid");
  });

  it("garbage is invalid without a lookup error", async () => {
    const { db } = testDb();
    for (const token of ["", "short", "x".repeat(43) + "!", null, 42, "a".repeat(10_000)]) {
      expect((await checkResetToken(db, token)).status).toBe("invalid");
    }
  });
});

describe("setting the new password (SPEC 4.5, 4.6)", () => {
  it("refuses the current (breached) password and the email name, changing nothing", async () => {
    const { db } = testDb();
    const { id, email } = await customer("the old breached password 1");
    const link = await issueResetLink(db, { userId: id, purpose: "self_service" });
    const [before] = await db.select().from(users).where(eq(users.id, id));
    const same = await resetPasswordWithToken(db, {
      token: tokenOf(link.url),
      password: "the old breached password 1",
      confirm: "the old breached password 1",
      ip: null,
    });
    expect(same).toMatchObject({ ok: false, fieldErrors: { password: [expect.stringMatching(/current password/)] } });
    const local = email.split("@")[0];
    const named = await resetPasswordWithToken(db, { token: tokenOf(link.url), password: `${local} forever`, confirm: `${local} forever`, ip: null });
    expect(named).toMatchObject({ ok: false, fieldErrors: { password: [expect.stringMatching(/email name/)] } });
    const [after] = await db.select().from(users).where(eq(users.id, id));
    expect(after).toEqual(before);
    expect((await checkResetToken(db, tokenOf(link.url))).status).toBe("valid");
  });

  it("refuses a leaked password only the server's corpus knows, and a generated pattern, by the field", async () => {
    const { db } = testDb();
    const { id } = await customer();
    const link = await issueResetLink(db, { userId: id, purpose: "self_service" });
    const [before] = await db.select().from(users).where(eq(users.id, id));
    for (const [password, reason] of [
      ["PerAsperaAdAstra", /leaked passwords/],
      ["123123123123123", /repeats/],
      ["qwertyuiopasdfg", /keyboard/],
    ] as const) {
      const result = await resetPasswordWithToken(db, { token: tokenOf(link.url), password, confirm: password, ip: null });
      expect(result, password).toEqual({ ok: false, fieldErrors: { password: [expect.stringMatching(reason)] } });
    }
    expect((await db.select().from(users).where(eq(users.id, id)))[0]).toEqual(before);
    expect((await checkResetToken(db, tokenOf(link.url))).status).toBe("valid");
  });

  it("in one step: new Argon2id hash, expiry cleared, session version moved on, a 'changed' email", async () => {
    const { db } = testDb();
    const { id, email } = await customer();
    await db.update(users).set({ passwordExpiredAt: new Date(Date.now() - 1000) }).where(eq(users.id, id));
    const link = await issueResetLink(db, { userId: id, purpose: "self_service" });
    const [before] = await db.select().from(users).where(eq(users.id, id));
    const long = "ünïcödé passphrase: a distant lighthouse blinks twice over the cold sea"; // 71 code points, nothing repeated
    expect(await resetPasswordWithToken(db, { token: tokenOf(link.url), password: long, confirm: long, ip: "203.0.113.9" })).toEqual({ ok: true });
    const [after] = await db.select().from(users).where(eq(users.id, id));
    expect(after.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(after.passwordHash).not.toBe(before.passwordHash);
    expect(after.passwordExpiredAt).toBeNull();
    expect(after.sessionVersion).toBe(before.sessionVersion + 1);
    const mail = await listMailbox(db, email);
    expect(mail[0].subject).toBe("Your password was changed");
    expect(mail[0].text + mail[0].html).not.toContain(long.trim());
  });
});

describe("forgot password (SPEC 4.4, 5.1)", () => {
  it("does the same hashing work for known and unknown addresses, and mails only the known", async () => {
    const { db } = testDb();
    const { email } = await customer();
    const unknown = uniqueEmail("nobody");
    const admission = hashingAdmission();
    const runs: number[] = [];
    const original = admission.run.bind(admission);
    admission.run = ((work: () => Promise<unknown>) => {
      runs.push(1);
      return original(work);
    }) as typeof admission.run;
    try {
      await requestSelfServiceLink(db, email, null);
      const known = runs.length;
      await requestSelfServiceLink(db, unknown, null);
      expect(runs.length - known).toBe(known); // zero each: no hashing on either path
    } finally {
      admission.run = original;
    }
    expect((await listMailbox(db, email)).length).toBe(1);
    expect((await listMailbox(db, unknown)).length).toBe(0);
  });
});
