// The incident dashboard's numbers (SPEC 3): live counts, and snapshots of
// them (metric_snapshots) for the chart over time. Shared by every instance.
import { asc, gt, sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { metricSnapshots } from "@/db/schema";
import { readCounters } from "./counters";

export type IncidentCounts = {
  expired: number;
  emailed: number;
  delivered: number;
  bounced: number;
  complained: number;
  reset: number;
  openRequests: number;
};

export const COUNT_LABELS: Record<keyof IncidentCounts, string> = {
  expired: "Passwords expired",
  emailed: "Notices emailed",
  delivered: "Delivered",
  bounced: "Bounced",
  complained: "Complaints",
  reset: "Passwords reset",
  openRequests: "Open support requests",
};

/** The dashboard's counts, from the counters (a few rows read, whatever the size). */
export async function incidentCounts(db: Db): Promise<IncidentCounts> {
  const values = await readCounters(db, Object.keys(COUNT_LABELS));
  return Object.fromEntries(Object.keys(COUNT_LABELS).map((k) => [k, values[k] ?? 0])) as IncidentCounts;
}

/** The same counts by full scans: what the counters must always equal (tests, `cli metrics check`). */
export async function incidentCountsByScan(db: Db): Promise<IncidentCounts> {
  const [row] = rowsOf<Record<string, number | string>>(
    await db.execute(sql`
      select
        (select count(*) from users where password_expired_at is not null)::int8 as expired,
        (select count(*) from sent_emails where kind = 'breach_notice')::int8 as emailed,
        (select count(*) from sent_emails where kind = 'breach_notice' and status = 'delivered')::int8 as delivered,
        (select count(*) from sent_emails where status = 'bounced')::int8 as bounced,
        (select count(*) from sent_emails where status = 'complained')::int8 as complained,
        (select count(distinct subject_id) from audit_events where action = 'password.changed')::int8 as reset,
        (select count(*) from support_requests where status in ('open', 'waiting'))::int8 as open_requests`),
  );
  return {
    expired: Number(row.expired),
    emailed: Number(row.emailed),
    delivered: Number(row.delivered),
    bounced: Number(row.bounced),
    complained: Number(row.complained),
    reset: Number(row.reset),
    openRequests: Number(row.open_requests),
  };
}

/**
 * Stores the counts as this minute's snapshot. Every instance's worker calls
 * it each minute; the minute is the key, so there is one snapshot a minute
 * however many instances run.
 */
export async function takeSnapshot(db: Db, counts?: IncidentCounts) {
  const values = counts ?? (await incidentCounts(db));
  await db.execute(sql`
    insert into metric_snapshots (at, counts)
    values (date_trunc('minute', now()), ${JSON.stringify(values)}::jsonb)
    on conflict (at) do nothing`);
}

export type ChartPoint = { at: Date; counts: Partial<IncidentCounts> };

/** Every snapshot of the last `hours` hours (one a minute: at most 1,440 for a day). */
export async function snapshotsSince(db: Db, hours = 24): Promise<ChartPoint[]> {
  return db
    .select({ at: metricSnapshots.at, counts: metricSnapshots.counts })
    .from(metricSnapshots)
    .where(gt(metricSnapshots.at, sql`now() - make_interval(hours => ${hours})`))
    .orderBy(asc(metricSnapshots.at));
}

/**
 * The whole incident in at most `points` + 1 points: the first snapshot, and
 * the last one at or before each of `points` equal steps of time from the
 * first to the newest. Each point is one probe of the primary key, so a
 * dashboard view costs the same on the first day and after months of minutes
 * (reading every snapshot to slice them grew by 1,440 rows a day).
 */
export async function wholeIncident(db: Db, points = 240): Promise<ChartPoint[]> {
  const rows = rowsOf<{ at: Date | string; counts: Partial<IncidentCounts> | string }>(
    await db.execute(sql`
      with bounds as (select min(at) as first, max(at) as last from metric_snapshots),
      edges as (
        select b.first + (b.last - b.first) * (g::float8 / ${points}::int) as edge
        from bounds b, generate_series(0, ${points}::int) g
        where b.first is not null
      )
      select distinct on (s.at) s.at, s.counts
      from edges e
      cross join lateral (select at, counts from metric_snapshots where at <= e.edge order by at desc limit 1) s
      order by s.at`),
  );
  return rows.map((r) => ({ at: new Date(r.at), counts: typeof r.counts === "string" ? JSON.parse(r.counts) : r.counts }));
}
