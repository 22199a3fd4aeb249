// The demo incident (SPEC 2): a published notice, an admin, an agent and a few
// hundred customers whose passwords are expired. Safe to run again.
import { eq, inArray } from "drizzle-orm";
import type { Db } from "./client";
import { incidents, noticeRevisions, noticeUpdates, users } from "./schema";
import { upsertUser } from "@/lib/accounts";
import { env } from "@/lib/env";
import { demoNotice } from "@/lib/incident/demo-notice";
import { hashPassword } from "@/lib/passwords";
import { seedSavedReplies } from "@/lib/support/saved-reply-seed";
import { seedBreachDay } from "./seed-breach-day";

// Demo-only sign-ins, printed at start. seed-demo refuses to run in production.
export const DEMO_ACCOUNTS = [
  { email: "admin@example.com", role: "admin", name: "Avery Admin", password: "quiet harbour lantern 2026" },
  { email: "agent@example.com", role: "agent", name: "Sam Agent", password: "velvet compass morning tide" },
] as const;

export const DEMO_CUSTOMER_COUNT = 300;

export type SeedReport = { created: number; existing: number; incidentCreated: boolean };

/** The demo incident with its published notice, unless an incident exists; true when it was created. */
export async function ensureDemoIncident(db: Db, log: (line: string) => void = () => {}): Promise<boolean> {
  const brand = env().BRAND_NAME;
  const [incident] = await db.select({ id: incidents.id }).from(incidents).limit(1);
  if (incident) return false;
  const now = Date.now();
  const notice = demoNotice(brand, env().SUPPORT_EMAIL, now);
  const day = 24 * 3600 * 1000;
  await db.transaction(async (tx) => {
    const [created] = await tx
      .insert(incidents)
      .values({ title: notice.title, ...notice.dates })
      .returning({ id: incidents.id });
    await tx.insert(noticeRevisions).values({
      incidentId: created.id,
      sections: notice.sections,
      faq: notice.faq,
      publishedAt: new Date(now - day),
    });
    await tx.insert(noticeUpdates).values(
      notice.updates.map((u) => ({
        incidentId: created.id,
        body: u.body,
        postedAt: new Date(now - u.daysAgo * day - 3600 * 1000),
      })),
    );
  });
  log("Created the demo incident and published its notice.");
  return true;
}

export async function seedDemo(
  db: Db,
  log: (line: string) => void = () => {},
  options: { breachDay?: boolean } = {},
): Promise<SeedReport> {
  if (env().production) {
    throw new Error("seed-demo creates accounts with published passwords: it never runs in production.");
  }
  const report: SeedReport = { created: 0, existing: 0, incidentCreated: false };
  report.incidentCreated = await ensureDemoIncident(db, log);

  for (const account of DEMO_ACCOUNTS) {
    const [row] = await db.select({ id: users.id }).from(users).where(eq(users.email, account.email));
    if (row) {
      report.existing++;
      continue;
    }
    await upsertUser(db, { ...account });
    report.created++;
  }

  // Customers carry the "breached" hash of an old password, already expired.
  const emails = Array.from(
    { length: DEMO_CUSTOMER_COUNT },
    (_, i) => `customer${String(i + 1).padStart(3, "0")}@example.com`,
  );
  const present = await db.select({ email: users.email }).from(users).where(inArray(users.email, emails));
  const have = new Set(present.map((r) => r.email));
  const missing = emails.filter((e) => !have.has(e));
  if (missing.length) {
    const breachedHash = await hashPassword("the old breached password 1");
    const expiredAt = new Date(Date.now() - 24 * 3600 * 1000);
    await db
      .insert(users)
      .values(
        missing.map((email, i) => ({
          email,
          name: `Demo Customer ${i + 1}`,
          role: "customer" as const,
          passwordHash: breachedHash,
          passwordChangedAt: new Date(Date.now() - 400 * 24 * 3600 * 1000),
          passwordExpiredAt: expiredAt,
        })),
      )
      .onConflictDoNothing();
    log(`Created ${missing.length} demo customers with expired passwords.`);
  }
  report.created += missing.length;
  report.existing += emails.length - missing.length;
  // Answers to the notice's FAQ, ready for the desk's bulk answers.
  const replies = await seedSavedReplies(db, demoNotice(env().BRAND_NAME, env().SUPPORT_EMAIL).faq);
  if (replies > 0) log(`Created ${replies} saved replies from the notice's questions.`);
  if (options.breachDay) await seedBreachDay(db, log);
  return report;
}
