// The date passwords were reset, for the note on the sign-in page (SPEC 4.2).
import { unstable_cache } from "next/cache";
import { desc, isNotNull } from "drizzle-orm";
import { getDb } from "@/db/client";
import { incidents } from "@/db/schema";

async function load(): Promise<string | null> {
  const db = await getDb();
  const [row] = await db
    .select({ at: incidents.passwordsResetAt })
    .from(incidents)
    .where(isNotNull(incidents.passwordsResetAt))
    .orderBy(desc(incidents.passwordsResetAt))
    .limit(1);
  return row?.at ? row.at.toISOString() : null;
}

export const getPasswordsResetDate = unstable_cache(load, ["passwords-reset-date"], {
  tags: ["notice"],
  revalidate: 60,
});

export function formatIncidentDate(iso: string): string {
  return new Date(iso).toLocaleDateString("en-US", { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });
}
