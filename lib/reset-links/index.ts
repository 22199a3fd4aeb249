// Reset links (SPEC 4.4): bound to one account and one purpose, valid once,
// killed by a newer link of the same purpose, by any password change and by an
// expiry issued after them. Opening a link (check) never consumes it.
import { and, eq, gt, inArray, isNull, lt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { resetTokens, users, type ResetPurpose } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { env } from "@/lib/env";
import { hashToken, isWellFormedToken, newToken } from "./token";

export { hashToken, isWellFormedToken, newToken } from "./token";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
type Executor = Db | Tx;

export function lifetimeMs(purpose: ResetPurpose): number {
  const e = env();
  switch (purpose) {
    case "self_service":
      return e.RESET_TTL_SELF_SERVICE_MINUTES * 60_000;
    case "agent":
    case "invite":
      return e.RESET_TTL_AGENT_HOURS * 3_600_000;
    case "campaign":
      return e.RESET_TTL_CAMPAIGN_HOURS * 3_600_000;
  }
}

export function resetUrl(token: string): string {
  return new URL(`/reset-password/${token}`, env().APP_URL).toString();
}

export type IssuedLink = { url: string; expiresAt: Date };

/** A new link for one account; older unused links of the same purpose die. */
export async function issueResetLink(
  db: Executor,
  input: { userId: number; purpose: ResetPurpose; createdBy?: number | null; ip?: string | null },
): Promise<IssuedLink> {
  const token = newToken();
  const now = new Date();
  const expiresAt = new Date(now.getTime() + lifetimeMs(input.purpose));
  const write = async (tx: Executor) => {
    await tx
      .update(resetTokens)
      .set({ revokedAt: now })
      .where(
        and(
          eq(resetTokens.userId, input.userId),
          eq(resetTokens.purpose, input.purpose),
          isNull(resetTokens.usedAt),
          isNull(resetTokens.revokedAt),
        ),
      );
    await tx.insert(resetTokens).values({
      userId: input.userId,
      tokenHash: hashToken(token),
      purpose: input.purpose,
      createdAt: now,
      expiresAt,
      createdBy: input.createdBy ?? null,
    });
    await recordAudit(tx, {
      action: "reset_link.sent",
      actorId: input.createdBy ?? null,
      subjectId: input.userId,
      ip: input.ip,
      detail: { purpose: input.purpose, expiresAt: expiresAt.toISOString() },
    });
  };
  if ("rollback" in db) await write(db);
  else await (db as Db).transaction(write);
  return { url: resetUrl(token), expiresAt };
}

/**
 * Links for many accounts at once (campaigns): one insert per batch. Older
 * unused campaign links of these accounts die. Returns each account's URL.
 */
export async function issueResetLinksInBatch(
  tx: Executor,
  userIds: number[],
  purpose: ResetPurpose,
  createdBy: number | null = null,
): Promise<Map<number, IssuedLink>> {
  const links = new Map<number, IssuedLink>();
  if (userIds.length === 0) return links;
  const now = new Date();
  const expiresAt = new Date(now.getTime() + lifetimeMs(purpose));
  await tx
    .update(resetTokens)
    .set({ revokedAt: now })
    .where(
      and(
        inArray(resetTokens.userId, userIds),
        eq(resetTokens.purpose, purpose),
        isNull(resetTokens.usedAt),
        isNull(resetTokens.revokedAt),
      ),
    );
  const rows = userIds.map((userId) => {
    const token = newToken();
    links.set(userId, { url: resetUrl(token), expiresAt });
    return { userId, tokenHash: hashToken(token), purpose, createdAt: now, expiresAt, createdBy };
  });
  await tx.insert(resetTokens).values(rows);
  return links;
}

export type TokenCheck =
  | { status: "valid"; tokenId: number; userId: number; purpose: ResetPurpose; email: string }
  | { status: "expired"; tokenId: number; userId: number; purpose: ResetPurpose; email: string }
  | { status: "invalid" };

/** What a link is worth now. Never consumes it (mail scanners open links). */
export async function checkResetToken(db: Executor, token: unknown, now = new Date()): Promise<TokenCheck> {
  if (!isWellFormedToken(token)) return { status: "invalid" };
  const [row] = await db
    .select({
      id: resetTokens.id,
      userId: resetTokens.userId,
      purpose: resetTokens.purpose,
      createdAt: resetTokens.createdAt,
      expiresAt: resetTokens.expiresAt,
      usedAt: resetTokens.usedAt,
      revokedAt: resetTokens.revokedAt,
      email: users.email,
      expiredAt: users.passwordExpiredAt,
      changedAt: users.passwordChangedAt,
      disabledAt: users.disabledAt,
    })
    .from(resetTokens)
    .innerJoin(users, eq(users.id, resetTokens.userId))
    .where(eq(resetTokens.tokenHash, hashToken(token)));
  if (!row || row.usedAt || row.revokedAt || row.disabledAt) return { status: "invalid" };
  // An expiry or a password change after the link was issued kills it.
  if (row.expiredAt && row.expiredAt > row.createdAt) return { status: "invalid" };
  if (row.changedAt && row.changedAt > row.createdAt) return { status: "invalid" };
  const base = { tokenId: row.id, userId: row.userId, purpose: row.purpose, email: row.email };
  if (row.expiresAt <= now) return { status: "expired", ...base };
  return { status: "valid", ...base };
}

/** Kills every outstanding link of an account (inside the password-change transaction). */
export async function revokeAllLinks(tx: Executor, userId: number, now = new Date()) {
  await tx
    .update(resetTokens)
    .set({ revokedAt: now })
    .where(and(eq(resetTokens.userId, userId), isNull(resetTokens.usedAt), isNull(resetTokens.revokedAt)));
}

/** Marks a link used if it still is valid; false when another request used it first. */
export async function markLinkUsed(tx: Executor, tokenId: number, now = new Date()): Promise<boolean> {
  const updated = await tx
    .update(resetTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(resetTokens.id, tokenId),
        isNull(resetTokens.usedAt),
        isNull(resetTokens.revokedAt),
        gt(resetTokens.expiresAt, now),
      ),
    )
    .returning({ id: resetTokens.id });
  return updated.length === 1;
}

/** Housekeeping: links that ended long ago are removed (their audit stays). */
export async function deleteOldLinks(db: Db, olderThanDays = 30) {
  await db.delete(resetTokens).where(lt(resetTokens.expiresAt, sql`now() - make_interval(days => ${olderThanDays})`));
}
