// The incident dashboard's numbers (SPEC 3): live counts, and snapshots of
// them (metric_snapshots) for the chart over time. Shared by every instance.
import { desc } from "drizzle-orm";
import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { metricSnapshots } from "@/db/schema";

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

export async function incidentCounts(db: Db): Promise<IncidentCounts> {
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

/** Stores the counts as a snapshot when the last one is older than `everySeconds`. */
export async function snapshotIfDue(db: Db, counts: IncidentCounts, everySeconds = 60) {
  await db.execute(sql`
    insert into metric_snapshots (at, counts)
    select now(), ${JSON.stringify(counts)}::jsonb
    where not exists (select 1 from metric_snapshots where at > now() - make_interval(secs => ${everySeconds}))
    on conflict (at) do nothing`);
}

export async function recentSnapshots(db: Db, limit = 120): Promise<{ at: Date; counts: Partial<IncidentCounts> }[]> {
  const rows = await db
    .select({ at: metricSnapshots.at, counts: metricSnapshots.counts })
    .from(metricSnapshots)
    .orderBy(desc(metricSnapshots.at))
    .limit(limit);
  return rows.reverse();
}

