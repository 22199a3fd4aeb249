// Accounts and reset links for the bench, written straight into the database
// before the server starts (like e2e/seed.ts). One Argon2 hash is shared by
// every account: each verify still costs the same.
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import { hashPassword } from "@/lib/passwords";
import { issueResetLinksInBatch } from "@/lib/reset-links";

export const BENCH_PASSWORD = "bench password for capacity runs";

export const signInEmail = (n: number) => `bench-signin-${n}@example.com`;
// The policy refuses a new password that contains the email name: keep them apart.
export const resetEmail = (n: number) => `customer-r${n}@example.com`;
// Digits of n would match the digits of the email name: spell n in letters.
const letters = (n: number) =>
  n
    .toString(26)
    .split("")
    .map((d) => String.fromCharCode(106 + parseInt(d, 26) % 16))
    .join("");
export const newPassword = (n: number) => `quiet violet harbour lantern ${letters(n)} wheel`;

async function insertAccounts(db: Db, emails: string[], passwordHash: string): Promise<number[]> {
  const ids: number[] = [];
  const lastYear = new Date(Date.now() - 365 * 24 * 3600 * 1000);
  for (let i = 0; i < emails.length; i += 1000) {
    const rows = emails.slice(i, i + 1000).map((email) => ({
      email,
      role: "customer" as const,
      passwordHash,
      passwordChangedAt: lastYear,
    }));
    const inserted = await db.insert(users).values(rows).returning({ id: users.id });
    ids.push(...inserted.map((r) => r.id));
  }
  return ids;
}

/** Sign-in accounts (all with BENCH_PASSWORD) and one unused reset token per reset account. */
export async function seedBench(db: Db, counts: { signIn: number; reset: number }) {
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  await insertAccounts(db, Array.from({ length: counts.signIn }, (_, i) => signInEmail(i)), passwordHash);
  const resetIds = await insertAccounts(db, Array.from({ length: counts.reset }, (_, i) => resetEmail(i)), passwordHash);
  const tokens: string[] = [];
  for (let i = 0; i < resetIds.length; i += 1000) {
    const slice = resetIds.slice(i, i + 1000);
    const links = await db.transaction((tx) => issueResetLinksInBatch(tx, slice, "agent", null));
    for (const id of slice) tokens.push(new URL(links.get(id)!.url).pathname.split("/").pop()!);
  }
  return { tokens };
}
