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
  "sign-in:account": (e: Env) => e.RATE_LIMIT_SIGNIN_PER_ACCOUNT,
  "sign-in:ip": (e: Env) => e.RATE_LIMIT_SIGNIN_PER_IP,
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

function keyOf(policy: string, identifier: string) {
  return createHash("sha256").update(`${policy}\0${identifier.trim().toLowerCase()}`).digest("base64url");
}

/** Counts one attempt; throws RateLimitedError once the window's limit is passed. */
export async function assertRateLimit(
  db: Db,
  policy: RateLimitPolicy,
  identifier: string,
  now = new Date(),
): Promise<{ count: number; limit: number }> {
  const settings = env();
  const limit = policies[policy](settings);
  const windowMs = settings.RATE_LIMIT_WINDOW_SECONDS * 1000;
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  const result = await db.execute(sql`
    insert into ${rateLimitBuckets} (policy, key, window_start, count)
    values (${policy}, ${keyOf(policy, identifier)}, ${windowStart.toISOString()}, 1)
    on conflict (policy, key, window_start)
    do update set count = ${rateLimitBuckets.count} + 1
    returning count`);
  const count = Number(rowsOf<{ count: number }>(result)[0]?.count ?? 1);
  // Now and then, forget windows that ended long ago.
  if (Math.random() < 0.01) {
    await db.delete(rateLimitBuckets).where(lt(rateLimitBuckets.windowStart, new Date(now.getTime() - 2 * windowMs)));
  }
  if (count > limit) {
    const retryAfter = Math.max(1, Math.ceil((windowStart.getTime() + windowMs - now.getTime()) / 1000));
    throw new RateLimitedError(policy, retryAfter);
  }
  return { count, limit };
}

/** The path of the friendly 429 page (a route handler, so the status is real). */
export function rateLimitedPath(error: RateLimitedError): string {
  return `/rate-limited?retry=${error.retryAfterSeconds}`;
}
