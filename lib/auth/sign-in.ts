// A sign-in attempt with its limits (SPEC 5.3; docs/security.md "Sign-in
// limits"): counted before the password is checked, settled by the verdict.
// next-auth's authorize calls this; the raw credentials endpoint is closed
// (app/api/auth/[...nextauth]/route.ts), so every attempt is counted.
import type { Db } from "@/db/client";
import type { RateLimitedError } from "@/lib/rate-limit";
import { beginSignInAttempt, settleSignInAttempt } from "@/lib/rate-limit/sign-in";
import { authenticate, type AuthenticatedUser } from "./authenticate";

export type SignInResult =
  | { ok: true; user: AuthenticatedUser }
  | { ok: false; code: "refused" }
  | { ok: false; code: "rate-limited"; error: RateLimitedError };

export async function signInWithLimits(
  db: Db,
  input: { email: unknown; password: unknown; ip: string },
  now = new Date(),
): Promise<SignInResult> {
  const email = typeof input.email === "string" ? input.email.slice(0, 320) : "";
  const admission = await beginSignInAttempt(db, input.ip, email, now);
  if (!admission.ok) return { ok: false, code: "rate-limited", error: admission.error };
  let result;
  try {
    result = await authenticate(db, input.email, input.password, input.ip);
  } catch (error) {
    // Busy (no verdict) or broken: the attempt is not held against the address.
    await settleSignInAttempt(db, admission.attempt, "undecided").catch(() => {});
    throw error;
  }
  await settleSignInAttempt(db, admission.attempt, result.ok ? "success" : "failure");
  return result.ok ? result : { ok: false, code: "refused" };
}
