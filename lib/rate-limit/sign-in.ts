// The sign-in limits (docs/security.md, "Sign-in limits"). Behind a carrier's
// or an office's shared address many customers sign in correctly at once, so
// the per-IP budget counts failed attempts only; a much higher per-IP ceiling
// counts every attempt, against floods; the per-account limit counts every
// attempt, as before. Each attempt reserves one failure before the password
// is checked (so parallel guesses cannot overshoot the budget) and gives it
// back if the password was right, together with the failures of that same
// account from that address in this window.
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { rowsOf } from "@/db/client";
import { rateLimitBuckets } from "@/db/schema";
import { env } from "@/lib/env";
import { forgetOldWindows, keyOf, RateLimitedError, retryAfterSeconds, windowOf, type RateLimitPolicy } from "./index";

const FAILURES: RateLimitPolicy = "sign-in:ip";
const ATTEMPTS: RateLimitPolicy = "sign-in:ip-attempts";
const ACCOUNT: RateLimitPolicy = "sign-in:account";
// Failures of one account from one address: what its owner's success forgives. No limit of its own.
const ACCOUNT_AT_IP = "sign-in:account-ip";

export type SignInAttempt = {
  windowStart: Date;
  failureKey: string;
  accountAtIpKey: string;
};

export type SignInAdmission = { ok: true; attempt: SignInAttempt } | { ok: false; error: RateLimitedError };

/** The account part of the keys: the address as typed, trimmed and lower-cased. */
export function signInAccountKey(email: string) {
  return email.trim().toLowerCase() || "(empty)";
}

/**
 * Counts one attempt (ceiling, account) and reserves one failure from the
 * address's budget, in one statement. Refused when any limit is passed; a
 * reservation taken for a refused attempt is given back.
 */
export async function beginSignInAttempt(db: Db, ip: string, email: string, now = new Date()): Promise<SignInAdmission> {
  const settings = env();
  const { windowStart } = windowOf(now);
  const account = signInAccountKey(email);
  const keys = {
    [ATTEMPTS]: keyOf(ATTEMPTS, ip),
    [ACCOUNT]: keyOf(ACCOUNT, account),
    [FAILURES]: keyOf(FAILURES, ip),
  } as Record<string, string>;
  const at = windowStart.toISOString();
  // The failure bucket only grows while under its limit: no row back means the budget is spent.
  const result = await db.execute(sql`
    insert into ${rateLimitBuckets} (policy, key, window_start, count)
    values (${ATTEMPTS}, ${keys[ATTEMPTS]}, ${at}, 1),
           (${ACCOUNT}, ${keys[ACCOUNT]}, ${at}, 1),
           (${FAILURES}, ${keys[FAILURES]}, ${at}, 1)
    on conflict (policy, key, window_start)
    do update set count = ${rateLimitBuckets.count} + 1
    where ${rateLimitBuckets.policy} <> ${FAILURES} or ${rateLimitBuckets.count} < ${settings.RATE_LIMIT_SIGNIN_PER_IP}
    returning policy, count`);
  const counts = new Map(rowsOf<{ policy: string; count: number }>(result).map((r) => [r.policy, Number(r.count)]));
  await forgetOldWindows(db, now);
  const attempt: SignInAttempt = {
    windowStart,
    failureKey: keys[FAILURES],
    accountAtIpKey: keyOf(ACCOUNT_AT_IP, `${account}\0${ip}`),
  };
  const reserved = counts.has(FAILURES);
  const passed: RateLimitPolicy | undefined = !reserved
    ? FAILURES
    : (counts.get(ACCOUNT) ?? 0) > settings.RATE_LIMIT_SIGNIN_PER_ACCOUNT
      ? ACCOUNT
      : (counts.get(ATTEMPTS) ?? 0) > settings.RATE_LIMIT_SIGNIN_ATTEMPTS_PER_IP
        ? ATTEMPTS
        : undefined;
  if (!passed) return { ok: true, attempt };
  if (reserved) await giveBack(db, attempt, 1);
  return { ok: false, error: new RateLimitedError(passed, retryAfterSeconds(now)) };
}

/**
 * Settles a begun attempt: a failure keeps its reservation and is noted for
 * the account at this address; a success gives the reservation back and
 * forgives that account's earlier failures from this address; an attempt
 * that never reached a verdict (the server was busy) only gives it back.
 */
export async function settleSignInAttempt(db: Db, attempt: SignInAttempt, outcome: "success" | "failure" | "undecided") {
  if (outcome === "undecided") return giveBack(db, attempt, 1);
  if (outcome === "failure") {
    await db
      .insert(rateLimitBuckets)
      .values({ policy: ACCOUNT_AT_IP, key: attempt.accountAtIpKey, windowStart: attempt.windowStart, count: 1 })
      .onConflictDoUpdate({
        target: [rateLimitBuckets.policy, rateLimitBuckets.key, rateLimitBuckets.windowStart],
        set: { count: sql`${rateLimitBuckets.count} + 1` },
      });
    return;
  }
  // One statement: forget this account's failures here, and give them back with the reservation.
  await db.execute(sql`
    with forgiven as (
      delete from ${rateLimitBuckets}
      where policy = ${ACCOUNT_AT_IP} and key = ${attempt.accountAtIpKey} and window_start = ${attempt.windowStart.toISOString()}
      returning count
    )
    update ${rateLimitBuckets}
    set count = greatest(0, ${rateLimitBuckets.count} - 1 - coalesce((select sum(count) from forgiven), 0))
    where policy = ${FAILURES} and key = ${attempt.failureKey} and window_start = ${attempt.windowStart.toISOString()}`);
}

async function giveBack(db: Db, attempt: SignInAttempt, by: number) {
  await db
    .update(rateLimitBuckets)
    .set({ count: sql`greatest(0, ${rateLimitBuckets.count} - ${by})` })
    .where(
      and(
        eq(rateLimitBuckets.policy, FAILURES),
        eq(rateLimitBuckets.key, attempt.failureKey),
        eq(rateLimitBuckets.windowStart, attempt.windowStart),
      ),
    );
}
