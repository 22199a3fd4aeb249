// What the campaign steps share: the rehearsal's campaign, and which emails
// get which webhook — spread evenly by a hash of the user id, so the real
// sample and the set-based rest agree, and every run gives the same answers.
import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { campaigns } from "@/db/schema";

export const CAMPAIGN_NAME = "Breach notice (rehearsal)";
export const ACTOR = { id: null, ip: "rehearsal" };

/** Shares of the sent emails that get a delivered / bounced / complained webhook. */
export type Shares = { delivered: number; bounced: number; complained: number };

/** Per ten thousand, for the SQL below. */
const perTenThousand = (s: Shares) => ({ b: Math.round(s.bounced * 1e4), c: Math.round(s.complained * 1e4), d: Math.round(s.delivered * 1e4) });

/** The webhook outcome of the email to one user, spread evenly by a hash of the id (the same in every run). */
export function outcomeOf(column: ReturnType<typeof sql.raw>, shares: Shares) {
  const { b, c, d } = perTenThousand(shares);
  const h = sql`((${column} * 2654435761) % 10000)`;
  return sql`case when ${h} < ${b} then 'bounced' when ${h} < ${b + c} then 'complained' when ${h} < ${b + c + d} then 'delivered' else 'sent' end`;
}

export async function campaignId(db: Db): Promise<number | null> {
  const [row] = await db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.name, CAMPAIGN_NAME));
  return row ? Number(row.id) : null;
}
