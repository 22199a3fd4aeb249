// Counts that cost the same at 300 rows and at 24 million (decision 0013):
// triggers append each statement's net change to counter_deltas; a count is
// its folded counter plus the deltas not folded yet; the metrics worker folds
// them every few seconds, so reading touches a handful of rows.
import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";

/** Current values of the named metrics (0 for one never counted). */
export async function readCounters(db: Db, metrics: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = Object.fromEntries(metrics.map((m) => [m, 0]));
  if (metrics.length === 0) return out;
  const list = sql.join(
    metrics.map((m) => sql`${m}`),
    sql`, `,
  );
  for (const row of rowsOf<{ metric: string; value: number | string }>(
    await db.execute(sql`
      select metric, sum(value)::int8 as value from (
        select metric, value from counters where metric in (${list})
        union all
        select metric, delta from counter_deltas where metric in (${list})
      ) c group by metric`),
  ))
    out[row.metric] = Number(row.value);
  return out;
}

/** Counters whose name starts with `prefix` (e.g. one campaign's statuses). */
export async function readCounterPrefix(db: Db, prefix: string): Promise<Record<string, number>> {
  const like = `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const out: Record<string, number> = {};
  for (const row of rowsOf<{ metric: string; value: number | string }>(
    await db.execute(sql`
      select metric, sum(value)::int8 as value from (
        select metric, value from counters where metric like ${like}
        union all
        select metric, delta from counter_deltas where metric like ${like}
      ) c group by metric`),
  ))
    out[row.metric.slice(prefix.length)] = Number(row.value);
  return out;
}

/**
 * Moves up to `limit` deltas into their counters. Safe on every instance at
 * once: each delta row is deleted (and so added) by exactly one folder.
 */
export async function foldCounterDeltas(db: Db, limit = 10_000): Promise<number> {
  const [row] = rowsOf<{ n: number }>(
    await db.execute(sql`
      with moved as (
        delete from counter_deltas
        where id in (select id from counter_deltas order by id limit ${limit} for update skip locked)
        returning metric, delta),
      summed as (
        insert into counters (metric, value)
        select metric, sum(delta) from moved group by metric
        on conflict (metric) do update set value = counters.value + excluded.value
        returning 1)
      select (select count(*) from moved)::int as n`),
  );
  return row?.n ?? 0;
}
