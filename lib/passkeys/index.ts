// Passkeys (issue 16, docs/decisions/0012-passkeys.md) with @simplewebauthn 13.
// The relying party is APP_URL (its host the rp id, its origin the only origin
// accepted); challenges live in the database, short-lived and taken once; an
// assertion needs user verification and a counter that moved on.
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { and, asc, eq, sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { passkeys, users, type UserRole } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { env } from "@/lib/env";
import { takeChallenge, storeChallenge } from "./challenges";

export { takeChallenge, storeChallenge, CHALLENGE_TTL_SECONDS } from "./challenges";

export type RelyingParty = { rpID: string; origin: string; rpName: string };

export function relyingParty(): RelyingParty {
  const url = new URL(env().APP_URL);
  return { rpID: url.hostname, origin: url.origin, rpName: env().BRAND_NAME };
}

export type PasskeyRow = { id: number; name: string; createdAt: Date; lastUsedAt: Date | null; backedUp: boolean; deviceType: string };

export async function passkeysOf(db: Db, userId: number): Promise<PasskeyRow[]> {
  return db
    .select({ id: passkeys.id, name: passkeys.name, createdAt: passkeys.createdAt, lastUsedAt: passkeys.lastUsedAt, backedUp: passkeys.backedUp, deviceType: passkeys.deviceType })
    .from(passkeys)
    .where(eq(passkeys.userId, userId))
    .orderBy(asc(passkeys.createdAt), asc(passkeys.id));
}

/** WebAuthn's user handle: random per account would be nicer; the id is opaque enough and never an email. */
function userHandle(userId: number): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(`rd-${userId}`) as Uint8Array<ArrayBuffer>;
}

export async function startRegistration(db: Db, userId: number): Promise<{ challengeId: string; optionsJSON: PublicKeyCredentialCreationOptionsJSON }> {
  const rp = relyingParty();
  const [user] = await db.select({ email: users.email, name: users.name }).from(users).where(eq(users.id, userId));
  if (!user) throw new Error("No such account.");
  const existing = await db.select({ credentialId: passkeys.credentialId, transports: passkeys.transports }).from(passkeys).where(eq(passkeys.userId, userId));
  const optionsJSON = await generateRegistrationOptions({
    rpName: rp.rpName,
    rpID: rp.rpID,
    userName: user.email,
    userDisplayName: user.name ?? user.email,
    userID: userHandle(userId),
    attestationType: "none",
    excludeCredentials: existing.map((c) => ({ id: c.credentialId, transports: c.transports as AuthenticatorTransportFuture[] })),
    authenticatorSelection: { residentKey: "required", userVerification: "required" },
    supportedAlgorithmIDs: [-7, -257],
  });
  const challengeId = await storeChallenge(db, { challenge: optionsJSON.challenge, purpose: "registration", userId });
  return { challengeId, optionsJSON };
}

export type PasskeyResult<T = object> = ({ ok: true } & T) | { ok: false; code: "challenge" | "invalid" | "unknown-credential" | "counter" | "duplicate" };

function defaultName(deviceType: string, backedUp: boolean) {
  return backedUp || deviceType === "multiDevice" ? "Synced passkey" : "Passkey on this device";
}

export async function finishRegistration(
  db: Db,
  userId: number,
  challengeId: string,
  response: RegistrationResponseJSON,
  ip: string | null,
): Promise<PasskeyResult<{ id: number }>> {
  const challenge = await takeChallenge(db, challengeId, "registration", userId);
  if (!challenge) return { ok: false, code: "challenge" };
  const rp = relyingParty();
  let verified;
  try {
    verified = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      requireUserVerification: true,
    });
  } catch {
    return { ok: false, code: "invalid" };
  }
  if (!verified.verified || !verified.registrationInfo) return { ok: false, code: "invalid" };
  const { credential, credentialBackedUp, credentialDeviceType } = verified.registrationInfo;
  const inserted = await db.transaction(async (tx) => {
    const rows = await tx
      .insert(passkeys)
      .values({
        userId,
        credentialId: credential.id,
        publicKey: credential.publicKey,
        counter: credential.counter,
        transports: credential.transports ?? [],
        backedUp: credentialBackedUp,
        deviceType: credentialDeviceType,
        name: defaultName(credentialDeviceType, credentialBackedUp),
      })
      .onConflictDoNothing()
      .returning({ id: passkeys.id });
    if (rows.length === 0) return null;
    await recordAudit(tx, { action: "passkey.added", actorId: userId, subjectId: userId, ip, detail: { key: rows[0].id } });
    return rows[0];
  });
  return inserted ? { ok: true, id: inserted.id } : { ok: false, code: "duplicate" };
}

export async function startAuthentication(db: Db): Promise<{ challengeId: string; optionsJSON: PublicKeyCredentialRequestOptionsJSON }> {
  const rp = relyingParty();
  // Discoverable credentials only: no account is named before the assertion.
  const optionsJSON = await generateAuthenticationOptions({ rpID: rp.rpID, userVerification: "required", allowCredentials: [] });
  const challengeId = await storeChallenge(db, { challenge: optionsJSON.challenge, purpose: "authentication", userId: null });
  return { challengeId, optionsJSON };
}

export type PasskeyUser = { id: number; email: string; name: string | null; role: UserRole; sessionVersion: number };

/**
 * Verifies a passkey assertion for sign-in. The challenge is taken (single use)
 * before anything else, so a replay fails even while the first is verified.
 * Works while the password is expired: a passkey was never in the stolen data.
 */
export async function verifyPasskeySignIn(
  db: Db,
  challengeId: unknown,
  response: AuthenticationResponseJSON,
  ip: string | null,
): Promise<PasskeyResult<{ user: PasskeyUser }>> {
  if (typeof challengeId !== "string" || challengeId.length > 64) return { ok: false, code: "challenge" };
  const challenge = await takeChallenge(db, challengeId, "authentication", null);
  if (!challenge) return { ok: false, code: "challenge" };
  if (typeof response?.id !== "string" || response.id.length > 1024) return { ok: false, code: "invalid" };
  const [row] = rowsOf<{
    id: number | string;
    user_id: number | string;
    public_key: Uint8Array;
    counter: number | string;
    transports: string[] | string;
    email: string;
    name: string | null;
    role: UserRole;
    session_version: number;
    disabled_at: Date | null;
  }>(
    await db.execute(sql`select p.id, p.user_id, p.public_key, p.counter, p.transports, u.email, u.name, u.role, u.session_version, u.disabled_at
      from passkeys p join users u on u.id = p.user_id where p.credential_id = ${response.id}`),
  );
  if (!row || row.disabled_at) {
    await recordAudit(db, { action: "sign_in.failure", ip, detail: { reason: "unknown_passkey", method: "passkey" } });
    return { ok: false, code: "unknown-credential" };
  }
  const userId = Number(row.user_id);
  const rp = relyingParty();
  const storedCounter = Number(row.counter);
  let verified;
  try {
    verified = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      credential: { id: response.id, publicKey: new Uint8Array(row.public_key) as Uint8Array<ArrayBuffer>, counter: storedCounter },
      requireUserVerification: true,
    });
  } catch (error) {
    const code = /counter/i.test((error as Error).message) ? "counter" : "invalid";
    await recordAudit(db, { action: "sign_in.failure", subjectId: userId, ip, detail: { reason: code === "counter" ? "passkey_counter" : "passkey_invalid", method: "passkey" } });
    return { ok: false, code };
  }
  if (!verified.verified) return { ok: false, code: "invalid" };
  const handle = response.response.userHandle;
  if (handle && Buffer.from(handle, "base64url").toString() !== `rd-${userId}`) return { ok: false, code: "invalid" };
  const { newCounter } = verified.authenticationInfo;
  // Conditional on the counter we checked: of two concurrent uses of one counter value, one wins.
  const moved = rowsOf<{ id: number }>(
    await db.execute(sql`update passkeys set counter = ${newCounter}, last_used_at = now()
      where id = ${Number(row.id)} and (counter < ${newCounter} or (counter = 0 and ${newCounter}::int8 = 0)) returning id`),
  );
  if (moved.length === 0) return { ok: false, code: "counter" };
  await recordAudit(db, { action: "passkey.used", actorId: userId, subjectId: userId, ip, detail: { key: Number(row.id) } });
  return {
    ok: true,
    user: { id: userId, email: row.email, name: row.name, role: row.role, sessionVersion: Number(row.session_version) },
  };
}

export async function removePasskey(db: Db, userId: number, passkeyId: number, ip: string | null): Promise<boolean> {
  return db.transaction(async (tx) => {
    const removed = await tx.delete(passkeys).where(and(eq(passkeys.id, passkeyId), eq(passkeys.userId, userId))).returning({ id: passkeys.id });
    if (removed.length === 0) return false;
    await recordAudit(tx, { action: "passkey.removed", actorId: userId, subjectId: userId, ip, detail: { key: passkeyId } });
    return true;
  });
}

export async function renamePasskey(db: Db, userId: number, passkeyId: number, name: string, ip: string | null): Promise<boolean> {
  const clean = name.normalize("NFKC").replace(/[\p{Cc}\p{Cf}]/gu, "").trim().slice(0, 60);
  if (!clean) return false;
  const renamed = await db.update(passkeys).set({ name: clean }).where(and(eq(passkeys.id, passkeyId), eq(passkeys.userId, userId))).returning({ id: passkeys.id });
  if (renamed.length > 0) await recordAudit(db, { action: "passkey.renamed", actorId: userId, subjectId: userId, ip, detail: { key: passkeyId } });
  return renamed.length > 0;
}

/** "Not now" on the offer after a reset: it is not shown again. */
export async function dismissPasskeyOffer(db: Db, userId: number, ip: string | null) {
  await db.update(users).set({ passkeyOfferDismissedAt: sql`now()` }).where(eq(users.id, userId));
  await recordAudit(db, { action: "passkey.offer_dismissed", actorId: userId, subjectId: userId, ip });
}


/** The offer after a reset: the password was set by the customer, no passkey yet, never dismissed. */
export async function passkeyOfferDue(db: Db, userId: number, keyCount: number): Promise<boolean> {
  if (keyCount > 0) return false;
  const [row] = await db
    .select({ dismissed: users.passkeyOfferDismissedAt, changed: users.passwordChangedAt, expired: users.passwordExpiredAt })
    .from(users)
    .where(eq(users.id, userId));
  return Boolean(row && !row.dismissed && row.changed && !row.expired);
}
