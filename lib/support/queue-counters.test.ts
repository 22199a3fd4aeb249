// The queue's counts are trigger-kept counters (migration 0007): after any mix
// of new requests, claims, topic changes, status changes and merges, each
// counter equals a full count of the rows it describes, folded or not.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rowsOf } from "@/db/client";
import { foldCounterDeltas, readCounterPrefix } from "@/lib/campaigns/counters";
import { uniqueEmail, withTestDb } from "@/test/db";

const testDb = withTestDb();
const statuses = ["open", "waiting", "resolved", "merged"];
const topics = ["sign-in", "card", "genuine", "data", "other"];

async function countsByScan(): Promise<Record<string, number>> {
  const { db } = testDb();
  const rows = rowsOf<{ metric: string; n: number | string }>(
    await db.execute(sql`
      select q.metric, count(*) as n from support_requests r
      cross join lateral rd_queue_metrics(r.status, r.topic, r.assigned_to) q group by q.metric`),
  );
  return Object.fromEntries(rows.map((r) => [r.metric, Number(r.n)]));
}

const nonZero = (counts: Record<string, number>) => Object.fromEntries(Object.entries(counts).filter(([, n]) => n !== 0));

describe("queue counters", () => {
  it("equal a full count after a random mix of writes", async () => {
    const { db } = testDb();
    const agents = rowsOf<{ id: number | string }>(
      await db.execute(sql`
        insert into users (email, role) values (${uniqueEmail("qa")}, 'agent'), (${uniqueEmail("qb")}, 'agent') returning id`),
    ).map((r) => Number(r.id));
    let seed = 7;
    const pick = <T,>(xs: T[]) => xs[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % xs.length];
    for (let round = 0; round < 12; round++) {
      await db.execute(sql`
        insert into support_requests (reference, email, name, topic, status, assigned_to)
        select 'RD-Q' || ${round} || '-' || g, ${uniqueEmail("q")}, 'Q', ${pick(topics)}, ${pick(statuses.slice(0, 3))},
          case when g % 3 = 0 then ${pick(agents)}::bigint end
        from generate_series(1, ${5 + round}) g`);
      await db.execute(sql`update support_requests set assigned_to = ${pick(agents)} where id % 4 = ${round % 4} and status <> 'merged'`);
      await db.execute(sql`update support_requests set topic = ${pick(topics)} where id % 5 = ${round % 5}`);
      await db.execute(sql`update support_requests set status = ${pick(statuses)} where id % 7 = ${round % 7}`);
      await db.execute(sql`update support_requests set updated_at = now()`); // counts nothing
      if (round % 4 === 3) await foldCounterDeltas(db);
    }
    expect(nonZero(await readCounterPrefix(db, "queue:"))).toEqual(
      Object.fromEntries(Object.entries(await countsByScan()).map(([k, n]) => [k.slice("queue:".length), n])),
    );
    await foldCounterDeltas(db);
    expect(nonZero(await readCounterPrefix(db, "queue:"))).toEqual(
      Object.fromEntries(Object.entries(await countsByScan()).map(([k, n]) => [k.slice("queue:".length), n])),
    );
  });
});
