"use server";
import { AuthError } from "next-auth";
import { headers } from "next/headers";
import { getDb } from "@/db/client";
import { recordAudit } from "@/lib/audit";
import { signIn } from "@/lib/auth/config";
import { clientIp } from "@/lib/http/client-ip";
import { safeReturnTo } from "@/lib/http/return-to";
import { startAuthentication } from "@/lib/passkeys";
import { assertRateLimits, RateLimitedError, rateLimitedPath } from "@/lib/rate-limit";

export type PasskeyStart = { challengeId: string; optionsJSON: unknown };
export type PasskeySignInResult = { ok: true; to: string } | { ok: false; to?: string; message?: string };

/** Options for a passkey sign-in: a fresh challenge, stored server-side. */
export async function passkeySignInOptions(): Promise<PasskeyStart> {
  return startAuthentication(await getDb());
}

export async function passkeySignIn(challengeId: string, responseJSON: string, next: string): Promise<PasskeySignInResult> {
  const ip = clientIp(await headers());
  const db = await getDb();
  try {
    // The flood ceiling on all sign-in attempts from an address, not its
    // failure budget: a crowd signing in with passkeys behind one address
    // must not use up the budget its password sign-ins need (issue 15 §2).
    await assertRateLimits(db, [["sign-in:ip-attempts", ip]]);
  } catch (error) {
    if (!(error instanceof RateLimitedError)) throw error;
    await recordAudit(db, { action: "rate_limit.exceeded", ip, detail: { policy: error.policy } });
    return { ok: false, to: rateLimitedPath(error) };
  }
  try {
    await signIn("passkey", { challengeId: String(challengeId).slice(0, 64), response: String(responseJSON).slice(0, 16_384), redirect: false });
  } catch (error) {
    // A passkey we do not know (removed, or cleared after a breach): the way back in is a new password.
    if (error instanceof AuthError && (error as { code?: string }).code === "passkey-unknown") {
      return { ok: false, to: "/forgot-password?passkey=unknown" };
    }
    if (error instanceof AuthError) return { ok: false, message: "That passkey did not work. Try again, or sign in with your password." };
    throw error;
  }
  return { ok: true, to: safeReturnTo(next) };
}
