// Rate limits shared by every app instance (SPEC 5.3): fixed windows counted
// in PostgreSQL with one upsert. Identifiers are stored as SHA-256, so the
// table never holds an email address or IP. Over the limit is never a lock-out:
// the window ends and the count starts again.
import { createHash } from "node:crypto";
import { lt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { rowsOf } from "@/db/client";
import { rateLimitBuckets } from "@/db/schema";
import { env, type Env } from "@/lib/env";

export const policies = {
  // Sign-in is counted by lib/rate-limit/sign-in.ts: per account every attempt,
  // per IP failed attempts only, plus a much higher ceiling on all attempts.
  "sign-in:account": (e: Env) => e.RATE_LIMIT_SIGNIN_PER_ACCOUNT,
  "sign-in:ip": (e: Env) => e.RATE_LIMIT_SIGNIN_PER_IP,
  "sign-in:ip-attempts": (e: Env) => e.RATE_LIMIT_SIGNIN_ATTEMPTS_PER_IP,
  "reset-link:address": (e: Env) => e.RATE_LIMIT_LINK_PER_ADDRESS,
  "reset-link:ip": (e: Env) => e.RATE_LIMIT_LINK_PER_IP,
  "token:ip": (e: Env) => e.RATE_LIMIT_TOKEN_PER_IP,
  "contact:ip": (e: Env) => e.RATE_LIMIT_CONTACT_PER_IP,
  "contact:address": (e: Env) => e.RATE_LIMIT_CONTACT_PER_ADDRESS,
} as const;

export type RateLimitPolicy = keyof typeof policies;

export class RateLimitedError extends Error {
  constructor(
    readonly policy: RateLimitPolicy,
    readonly retryAfterSeconds: number,
  ) {
    super(`Too many attempts. Please wait ${retryAfterSeconds} seconds and try again.`);
    this.name = "RateLimitedError";
  }
}

export function keyOf(policy: string, identifier: string) {
  return createHash("sha256").update(`${policy}\0${identifier.trim().toLowerCase()}`).digest("base64url");
}

/** Counts one attempt; throws RateLimitedError once the window's limit is passed. */
export async function assertRateLimit(
  db: Db,
  policy: RateLimitPolicy,
  identifier: string,
  now = new Date(),
): Promise<{ count: number; limit: number }> {
  const [counted] = await assertRateLimits(db, [[policy, identifier]], now);
  return counted;
}

/**
 * Counts one attempt against each (policy, identifier) in one statement, so a
 * flow with two limits costs one round trip; every limit is counted even when
 * another is passed (a pair given twice counts once). Throws
 * RateLimitedError naming the first limit passed.
 */
export async function assertRateLimits(
  db: Db,
  checks: readonly (readonly [RateLimitPolicy, string])[],
  now = new Date(),
): Promise<{ policy: RateLimitPolicy; count: number; limit: number }[]> {
  const settings = env();
  const { windowStart } = windowOf(now);
  const keyed = checks.map(([policy, identifier]) => ({ policy, key: keyOf(policy, identifier) }));
  // One row per distinct bucket: an upsert may not touch the same row twice.
  const distinct = [...new Map(keyed.map((k) => [`${k.policy}\0${k.key}`, k])).values()];
  const result = await db.execute(sql`
    insert into ${rateLimitBuckets} (policy, key, window_start, count)
    values ${sql.join(
      distinct.map((k) => sql`(${k.policy}, ${k.key}, ${windowStart.toISOString()}, 1)`),
      sql`, `,
    )}
    on conflict (policy, key, window_start)
    do update set count = ${rateLimitBuckets.count} + 1
    returning policy, key, count`);
  const counts = new Map(
    rowsOf<{ policy: string; key: string; count: number }>(result).map((r) => [`${r.policy}\0${r.key}`, Number(r.count)]),
  );
  await forgetOldWindows(db, now);
  const counted = keyed.map(({ policy, key }) => ({
    policy,
    count: counts.get(`${policy}\0${key}`) ?? 1,
    limit: policies[policy](settings),
  }));
  const passed = counted.find((c) => c.count > c.limit);
  if (passed) throw new RateLimitedError(passed.policy, retryAfterSeconds(now));
  return counted;
}

/**
 * Counts the limits one after another and stops at the first one passed, so
 * a request refused for its own address (the first check) does not use up
 * the budget of everyone sharing its IP (the second).
 */
export async function assertRateLimitsInTurn(
  db: Db,
  checks: readonly (readonly [RateLimitPolicy, string])[],
  now = new Date(),
): Promise<void> {
  for (const [policy, identifier] of checks) await assertRateLimit(db, policy, identifier, now);
}

/** The fixed window that holds `now`. */
export function windowOf(now: Date) {
  const windowMs = env().RATE_LIMIT_WINDOW_SECONDS * 1000;
  return { windowMs, windowStart: new Date(Math.floor(now.getTime() / windowMs) * windowMs) };
}

/** Seconds until the window that holds `now` ends (at least 1). */
export function retryAfterSeconds(now: Date) {
  const { windowMs, windowStart } = windowOf(now);
  return Math.max(1, Math.ceil((windowStart.getTime() + windowMs - now.getTime()) / 1000));
}

/** Now and then, forget windows that ended long ago. */
export async function forgetOldWindows(db: Db, now: Date) {
  if (Math.random() >= 0.01) return;
  const { windowMs } = windowOf(now);
  await db.delete(rateLimitBuckets).where(lt(rateLimitBuckets.windowStart, new Date(now.getTime() - 2 * windowMs)));
}

/** The path of the friendly 429 page (a route handler, so the status is real). */
export function rateLimitedPath(error: RateLimitedError): string {
  return `/rate-limited?retry=${error.retryAfterSeconds}`;
}
