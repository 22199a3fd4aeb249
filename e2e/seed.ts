// The fixed accounts every e2e spec may use (see e2e/accounts.ts).
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import { seedDemo } from "@/db/seed";
import { upsertUser } from "@/lib/accounts";
import { hashPassword } from "@/lib/passwords";
import { E2E_ADMIN, E2E_AGENT, E2E_CUSTOMER_COUNT, E2E_PASSWORDS, customerEmail } from "./accounts";

export async function seedE2e(db: Db) {
  await seedDemo(db);
  await upsertUser(db, { email: E2E_ADMIN, role: "admin", name: "E2E Admin", password: E2E_PASSWORDS.admin });
  await upsertUser(db, { email: E2E_AGENT, role: "agent", name: "E2E Agent", password: E2E_PASSWORDS.agent });
  const oldHash = await hashPassword(E2E_PASSWORDS.old);
  const lastYear = new Date(Date.now() - 365 * 24 * 3600 * 1000);
  const rows = [];
  for (let n = 1; n <= E2E_CUSTOMER_COUNT; n++) {
    for (const state of ["active", "expired"] as const) {
      rows.push({
        email: customerEmail(n, state),
        name: `Customer ${state} ${n}`,
        role: "customer" as const,
        passwordHash: oldHash,
        passwordChangedAt: lastYear,
        passwordExpiredAt: state === "expired" ? new Date() : null,
      });
    }
  }
  await db.insert(users).values(rows).onConflictDoNothing();
}
