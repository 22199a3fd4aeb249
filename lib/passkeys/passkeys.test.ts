// Passkey ceremonies with real signatures: an ES256 key made here plays the
// authenticator (authenticatorData, clientDataJSON and the signature built by
// hand), so every check of verifyPasskeySignIn runs as in production.
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, passkeys, users, webauthnChallenges } from "@/db/schema";
import { upsertUser } from "@/lib/accounts";
import { expirePasswords } from "@/lib/expiry";
import { uniqueEmail, withTestDb } from "@/test/db";
import { assertion, attestation, authenticator, type Authenticator, type Options } from "@/test/webauthn";
import { finishRegistration, passkeysOf, removePasskey, startAuthentication, startRegistration, verifyPasskeySignIn } from "./index";

const testDb = withTestDb();
async function customerWithPasskey() {
  const { db } = testDb();
  const { id } = await upsertUser(db, { email: uniqueEmail("passkey"), role: "customer", password: "Lantern-Quokka-7319-Ribbon" });
  const auth = authenticator();
  const reg = await startRegistration(db, id);
  const added = await finishRegistration(db, id, reg.challengeId, attestation(auth, reg.optionsJSON.challenge), "203.0.113.5");
  expect(added).toMatchObject({ ok: true });
  return { db, id, auth };
}

async function signInWith(auth: Authenticator, userId: number, o: Options = {}) {
  const { db } = testDb();
  const { challengeId, optionsJSON } = await startAuthentication(db);
  const response = assertion(auth, optionsJSON.challenge, userId, o);
  return { challengeId, response, result: await verifyPasskeySignIn(db, challengeId, response, null) };
}

describe("passkey registration", () => {
  it("stores the credential (public key only), audited, and lists it", async () => {
    const { db, id, auth } = await customerWithPasskey();
    const [row] = await db.select({ credentialId: passkeys.credentialId, counter: passkeys.counter, transports: passkeys.transports }).from(passkeys).where(eq(passkeys.userId, id));
    expect(row).toEqual({ credentialId: auth.id, counter: 0, transports: ["internal"] });
    expect(await passkeysOf(db, id)).toHaveLength(1);
    const audit = await db.select({ action: auditEvents.action }).from(auditEvents).where(and(eq(auditEvents.subjectId, id), eq(auditEvents.action, "passkey.added")));
    expect(audit).toHaveLength(1);
  });

  it("refuses a registration from another origin, without user verification, or with a challenge of another account", async () => {
    const { db } = testDb();
    const { id } = await upsertUser(db, { email: uniqueEmail("passkey"), role: "customer" });
    const { id: other } = await upsertUser(db, { email: uniqueEmail("passkey"), role: "customer" });
    for (const [options, owner] of [[{ origin: "https://evil.example" }, id], [{ flags: 0x41 }, id], [{}, other]] as const) {
      const reg = await startRegistration(db, owner);
      expect(await finishRegistration(db, id, reg.challengeId, attestation(authenticator(), reg.optionsJSON.challenge, options), null)).toMatchObject({ ok: false });
    }
    expect(await passkeysOf(db, id)).toHaveLength(0);
  });
});

describe("passkey sign-in (issue 16: what must be refused)", () => {
  it("signs in with a valid assertion, audited as used, and moves the counter on", async () => {
    const { db, id, auth } = await customerWithPasskey();
    const { result } = await signInWith(auth, id, { counter: 5 });
    expect(result).toMatchObject({ ok: true, user: { id } });
    const [row] = await db.select({ counter: passkeys.counter, lastUsedAt: passkeys.lastUsedAt }).from(passkeys).where(eq(passkeys.userId, id));
    expect(row.counter).toBe(5);
    expect(row.lastUsedAt).not.toBeNull();
    const used = await db.select({ action: auditEvents.action }).from(auditEvents).where(and(eq(auditEvents.subjectId, id), eq(auditEvents.action, "passkey.used")));
    expect(used).toHaveLength(1);
  });

  it("refuses a replayed assertion, with its own challenge or a fresh one", async () => {
    const { db, id, auth } = await customerWithPasskey();
    const first = await signInWith(auth, id, { counter: 1 });
    expect(first.result.ok).toBe(true);
    expect(await verifyPasskeySignIn(db, first.challengeId, first.response, null)).toEqual({ ok: false, code: "challenge" });
    const fresh = await startAuthentication(db);
    expect(await verifyPasskeySignIn(db, fresh.challengeId, first.response, null)).toMatchObject({ ok: false });
  });

  it("refuses a challenge used twice, even when the second assertion is freshly signed", async () => {
    const { db, id, auth } = await customerWithPasskey();
    const { challengeId, optionsJSON } = await startAuthentication(db);
    expect((await verifyPasskeySignIn(db, challengeId, assertion(auth, optionsJSON.challenge, id, { counter: 1 }), null)).ok).toBe(true);
    expect(await verifyPasskeySignIn(db, challengeId, assertion(auth, optionsJSON.challenge, id, { counter: 2 }), null)).toEqual({ ok: false, code: "challenge" });
  });

  it("refuses an assertion made for another origin or relying party", async () => {
    const { id, auth } = await customerWithPasskey();
    expect((await signInWith(auth, id, { origin: "https://reset-desk.evil.example" })).result).toEqual({ ok: false, code: "invalid" });
    expect((await signInWith(auth, id, { rpID: "evil.example" })).result).toEqual({ ok: false, code: "invalid" });
  });

  it("refuses a counter that went backwards or stood still (a cloned authenticator)", async () => {
    const { id, auth } = await customerWithPasskey();
    expect((await signInWith(auth, id, { counter: 10 })).result.ok).toBe(true);
    expect((await signInWith(auth, id, { counter: 9 })).result).toEqual({ ok: false, code: "counter" });
    expect((await signInWith(auth, id, { counter: 10 })).result).toEqual({ ok: false, code: "counter" });
    expect((await signInWith(auth, id, { counter: 11 })).result.ok).toBe(true);
  });

  it("accepts counters that stay 0 (synced passkeys), and refuses 0 once a counter was seen", async () => {
    const { id, auth } = await customerWithPasskey();
    expect((await signInWith(auth, id, { counter: 0 })).result.ok).toBe(true);
    expect((await signInWith(auth, id, { counter: 0 })).result.ok).toBe(true);
    expect((await signInWith(auth, id, { counter: 3 })).result.ok).toBe(true);
    expect((await signInWith(auth, id, { counter: 0 })).result).toEqual({ ok: false, code: "counter" });
  });

  it("requires user verification", async () => {
    const { id, auth } = await customerWithPasskey();
    expect((await signInWith(auth, id, { flags: 0x01 })).result).toEqual({ ok: false, code: "invalid" });
  });

  it("refuses an expired challenge, a forged signature and another account's user handle", async () => {
    const { db, id, auth } = await customerWithPasskey();
    const old = await startAuthentication(db);
    await db.update(webauthnChallenges).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(webauthnChallenges.id, old.challengeId));
    expect(await verifyPasskeySignIn(db, old.challengeId, assertion(auth, old.optionsJSON.challenge, id), null)).toEqual({ ok: false, code: "challenge" });
    const impostor = { ...(authenticator()), id: auth.id };
    expect((await signInWith(impostor, id)).result).toEqual({ ok: false, code: "invalid" });
    expect((await signInWith(auth, id, { userHandle: "rd-1" })).result).toEqual({ ok: false, code: "invalid" });
  });

  it("works while the password is expired, and not after an expiry that cleared passkeys", async () => {
    const { db, id, auth } = await customerWithPasskey();
    const [{ email }] = await db.select({ email: users.email }).from(users).where(eq(users.id, id));
    await expirePasswords(db, { kind: "emails", emails: [email] }, { id: null });
    expect((await signInWith(auth, id, { counter: 1 })).result.ok).toBe(true);
    await expirePasswords(db, { kind: "emails", emails: [email] }, { id: null }, { clearPasskeys: true });
    expect(await passkeysOf(db, id)).toHaveLength(0);
    expect((await signInWith(auth, id, { counter: 2 })).result).toEqual({ ok: false, code: "unknown-credential" });
  });

  it("a removed passkey no longer signs in, and only its owner can remove it", async () => {
    const { db, id, auth } = await customerWithPasskey();
    const { id: stranger } = await upsertUser(db, { email: uniqueEmail("passkey"), role: "customer" });
    const [key] = await passkeysOf(db, id);
    expect(await removePasskey(db, stranger, key.id, null)).toBe(false);
    expect(await removePasskey(db, id, key.id, null)).toBe(true);
    expect((await signInWith(auth, id)).result).toEqual({ ok: false, code: "unknown-credential" });
  });
});
