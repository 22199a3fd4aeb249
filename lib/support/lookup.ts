// The desk's customer lookup ("Customer email" on /support): an exact
// address, the start of an address, or the start of a name. Each prefix is
// an ordered range on a "C"-collated index (users_email_prefix_idx,
// users_name_prefix_idx), read in index order and stopped after a page, so it
// costs the same at 300 customers and at 24 million.
import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import { emailSchema } from "@/lib/accounts";
import { authorizeStaff } from "./authorize";
import { mayView } from "./customers";
import { parseSearch, prefixPattern } from "./queue-query";

export const LOOKUP_LIMIT = 20;

export type CustomerMatch = { id: number; email: string; name: string | null; passwordExpired: boolean };

export type CustomerLookup =
  | { ok: true; text: string; exact: number | null; matches: CustomerMatch[]; more: boolean }
  | { ok: false; error: string };

// The expressions of the two indexes, exactly: anything else is not a range on them.
const emailKey = sql`(${users.email} collate "C")`;
const nameKey = sql`(lower(${users.name}) collate "C")`;

export async function findCustomers(db: Db, actorId: number, input: unknown): Promise<CustomerLookup> {
  const agent = await authorizeStaff(db, actorId);
  const text = parseSearch(input);
  if (!text) return { ok: false, error: "Enter an email address, the start of one, or the start of a name." };
  // Agents see customers only; admins any account.
  const visible = agent.role === "admin" ? undefined : eq(users.role, "customer");

  const address = emailSchema.safeParse(text);
  if (address.success) {
    const [row] = await db.select({ id: users.id, role: users.role }).from(users).where(eq(users.email, address.data));
    if (row && mayView(agent, row)) return { ok: true, text, exact: row.id, matches: [], more: false };
  }

  const pattern = prefixPattern(text.toLowerCase());
  const byPrefix = (key: SQL) =>
    db
      .select({ id: users.id, email: users.email, name: users.name, expiredAt: users.passwordExpiredAt })
      .from(users)
      .where(and(sql`${key} like ${pattern}`, visible))
      .orderBy(asc(key))
      .limit(LOOKUP_LIMIT + 1);
  // A name has no "@": typing one means an address.
  const [byEmail, byName] = await Promise.all([byPrefix(emailKey), text.includes("@") ? [] : byPrefix(nameKey)]);

  const seen = new Set<number>();
  const matches: CustomerMatch[] = [];
  for (const row of [...byEmail, ...byName]) {
    if (seen.has(row.id)) continue;
    seen.add(row.id);
    matches.push({ id: row.id, email: row.email, name: row.name, passwordExpired: row.expiredAt !== null });
  }
  return { ok: true, text, exact: null, matches: matches.slice(0, LOOKUP_LIMIT), more: matches.length > LOOKUP_LIMIT };
}
