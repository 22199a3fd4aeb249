// WebAuthn challenges, kept server-side: short-lived, bound to a purpose (and
// to the account for a registration), and taken once by a conditional UPDATE,
// so two requests racing with one challenge cannot both use it.
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { webauthnChallenges } from "@/db/schema";

export const CHALLENGE_TTL_SECONDS = 300;

type Purpose = "registration" | "authentication";

export async function storeChallenge(db: Db, input: { challenge: string; purpose: Purpose; userId: number | null }): Promise<string> {
  const id = randomBytes(18).toString("base64url");
  await db.insert(webauthnChallenges).values({
    id,
    challenge: input.challenge,
    purpose: input.purpose,
    userId: input.userId,
    expiresAt: sql`now() + make_interval(secs => ${CHALLENGE_TTL_SECONDS})`,
  });
  // Old challenges go as new ones come: the table stays small without a sweeper.
  await db.execute(sql`delete from webauthn_challenges where expires_at < now() - interval '1 hour'`);
  return id;
}

/** The challenge, once: null when unknown, used, expired, or for another purpose or account. */
export async function takeChallenge(db: Db, id: string, purpose: Purpose, userId: number | null): Promise<string | null> {
  const owner = userId === null ? sql`user_id is null` : sql`user_id = ${userId}`;
  const [row] = rowsOf<{ challenge: string }>(
    await db.execute(sql`update webauthn_challenges set used_at = now()
      where id = ${id} and purpose = ${purpose} and ${owner} and used_at is null and expires_at > now()
      returning challenge`),
  );
  return row?.challenge ?? null;
}
