// The demo opens on a breach day in progress: every screen has data.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rowsOf } from "@/db/client";
import { campaignProgress, listCampaigns } from "@/lib/campaigns";
import { incidentCounts, incidentCountsByScan, snapshotsSince } from "@/lib/campaigns/metrics";
import { withTestDb } from "@/test/db";
import { seedDemo } from "./seed";

const testDb = withTestDb();

describe("the breach-day demo", () => {
  it("seeds a campaign most of the way, resets, requests in every state and a day of chart, once", async () => {
    const { db } = testDb();
    await seedDemo(db, () => {}, { breachDay: true });
    const counts = await incidentCounts(db);
    expect(counts).toEqual(await incidentCountsByScan(db));
    expect(counts.emailed).toBe(270);
    expect(counts.delivered).toBeGreaterThan(200);
    expect(counts.bounced).toBeGreaterThan(0);
    expect(counts.complained).toBeGreaterThan(0);
    expect(counts.reset).toBe(60);
    expect(counts.expired).toBe(240);
    const [campaign] = await listCampaigns(db);
    const progress = await campaignProgress(db, campaign.id);
    expect(progress).toMatchObject({ status: "paused", total: 300, done: 270 });
    const states = rowsOf<{ status: string; n: number }>(await db.execute(sql`select status, count(*)::int as n from support_requests group by status order by status`));
    expect(states).toEqual([
      { status: "open", n: 14 },
      { status: "resolved", n: 12 },
      { status: "waiting", n: 10 },
    ]);
    expect((await snapshotsSince(db, 24)).length).toBeGreaterThanOrEqual(1439);
    const [untouched] = rowsOf<{ expired: boolean }>(await db.execute(sql`select password_expired_at is not null as expired from users where email = 'customer001@example.com'`));
    expect(untouched.expired).toBe(true);

    await seedDemo(db, () => {}, { breachDay: true });
    expect(await incidentCounts(db)).toEqual(counts);
  });
});
