// The dashboard's counters equal a full count(*) after a random mix of the
// writes that change them — on PostgreSQL from two "instances" (two pools)
// writing and folding at once.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { connect, rowsOf, type Db } from "@/db/client";
import { withTestDb } from "@/test/db";
import { foldCounterDeltas, readCounterPrefix } from "./counters";
import { incidentCounts, incidentCountsByScan, takeSnapshot, wholeIncident } from "./metrics";

const testDb = withTestDb();

function rng(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
}

/** One random write of the kinds the app makes: expiry, sends, webhooks, resets, requests. */
async function randomWrite(db: Db, random: () => number, tag: string, i: number) {
  const pick = Math.floor(random() * 9);
  const someUser = sql`(select id from users where email like ${`%@${tag}.counters.example.com`} order by random() limit 1)`;
  switch (pick) {
    case 0: // new customers, some already expired (an import)
      await db.execute(sql`
        insert into users (email, role, password_expired_at)
        select ${tag} || '-' || ${i} || '-' || g || ${`@${tag}.counters.example.com`}, 'customer', case when g % 2 = 0 then now() end
        from generate_series(1, ${1 + Math.floor(random() * 20)}) g`);
      break;
    case 1: // expiry of a slice
      await db.execute(sql`update users set password_expired_at = now() where email like ${`%@${tag}.counters.example.com`} and id % 3 = ${i % 3}`);
      break;
    case 2: // a reset: expiry cleared, the audit event written, in one transaction
      await db.transaction(async (tx) => {
        const [u] = rowsOf<{ id: number }>(await tx.execute(sql`update users set password_expired_at = null where id = ${someUser} returning id`));
        if (u) await tx.execute(sql`insert into audit_events (action, subject_id) values ('password.changed', ${u.id})`);
      });
      break;
    case 3: // notices sent
      await db.execute(sql`
        insert into sent_emails ("to", user_id, kind, subject)
        select email, id, 'breach_notice', 'Notice' from users where email like ${`%@${tag}.counters.example.com`} order by random() limit 5`);
      break;
    case 4: // webhooks: delivered, bounced, complained
      await db.execute(sql`
        update sent_emails set status = (array['delivered', 'bounced', 'complained'])[1 + floor(random() * 3)::int]
        where id in (select id from sent_emails where "to" like ${`%@${tag}.counters.example.com`} order by random() limit 3)`);
      break;
    case 5: // support requests opened
      await db.execute(sql`
        insert into support_requests (reference, email, name, status)
        values (${`RD-${tag}-${i}`}, ${`someone-${i}@${tag}.counters.example.com`}, 'Someone', ${random() < 0.5 ? "open" : "waiting"})`);
      break;
    case 6: // requests resolved or reopened
      await db.execute(sql`
        update support_requests set status = (array['open', 'waiting', 'resolved'])[1 + floor(random() * 3)::int]
        where id in (select id from support_requests where reference like ${`RD-${tag}-%`} order by random() limit 2)`);
      break;
    case 7: // a user disabled, or deleted with its emails
      await db.execute(sql`update users set disabled_at = now() where id = ${someUser}`);
      break;
    default: // a non-counted change of a counted table (session version bump)
      await db.execute(sql`update users set session_version = session_version + 1 where id = ${someUser}`);
  }
}

describe("dashboard counters", () => {
  it("equal a full count after a random mix of writes, folded or not", async () => {
    const { db } = testDb();
    const random = rng(42);
    for (let i = 0; i < 150; i++) {
      await randomWrite(db, random, "one", i);
      if (i % 40 === 0) await foldCounterDeltas(db);
    }
    // Unfolded deltas count too.
    expect(await incidentCounts(db)).toEqual(await incidentCountsByScan(db));
    while ((await foldCounterDeltas(db, 50)) > 0);
    const [{ n }] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from counter_deltas`));
    expect(n).toBe(0);
    expect(await incidentCounts(db)).toEqual(await incidentCountsByScan(db));
    expect((await incidentCounts(db)).expired).toBeGreaterThan(0);
  });

  it("two instances writing and folding at once still add up (PostgreSQL)", async (ctx) => {
    const { url, kind } = testDb();
    if (kind !== "postgres" || !url) return ctx.skip();
    const a = await connect({ databaseUrl: url, poolMax: 4, migrate: false });
    const b = await connect({ databaseUrl: url, poolMax: 4, migrate: false });
    try {
      const instance = async (db: Db, seed: number, tag: string) => {
        const random = rng(seed);
        const writers = [0, 1, 2].map(async (w) => {
          for (let i = 0; i < 60; i++) await randomWrite(db, random, tag, seed * 100_000 + w * 1000 + i);
        });
        const folder = (async () => {
          for (let i = 0; i < 30; i++) {
            await foldCounterDeltas(db, 7);
            await new Promise((r) => setTimeout(r, 5));
          }
        })();
        await Promise.all([...writers, folder]);
      };
      // Both instances write to the same accounts and requests (tag "two").
      await Promise.all([instance(a.db, 7, "two"), instance(b.db, 11, "two")]);
      expect(await incidentCounts(a.db)).toEqual(await incidentCountsByScan(a.db));
      await Promise.all([foldCounterDeltas(a.db), foldCounterDeltas(b.db)]);
      expect(await incidentCounts(b.db)).toEqual(await incidentCountsByScan(b.db));
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("counts a user's first reset once, however many resets follow", async () => {
    const { db } = testDb();
    const [u] = rowsOf<{ id: number }>(await db.execute(sql`insert into users (email) values ('resets@counters.example.com') returning id`));
    const before = (await incidentCounts(db)).reset;
    await db.execute(sql`insert into audit_events (action, subject_id) values ('password.changed', ${u.id}), ('password.changed', ${u.id})`);
    await db.execute(sql`insert into audit_events (action, subject_id) values ('password.changed', ${u.id})`);
    expect((await incidentCounts(db)).reset).toBe(before + 1);
  });

  it("keeps a campaign's recipients by status", async () => {
    const { db } = testDb();
    const [c] = rowsOf<{ id: number }>(await db.execute(sql`insert into campaigns (name) values ('Counted') returning id`));
    await db.execute(sql`
      insert into campaign_recipients (campaign_id, user_id, email, status)
      select ${c.id}, id, email, 'pending' from users where email like '%@one.counters.example.com' limit 30`);
    await db.execute(sql`update campaign_recipients set status = 'sent' where campaign_id = ${c.id} and id % 2 = 0`);
    const byScan = Object.fromEntries(
      rowsOf<{ status: string; n: number }>(
        await db.execute(sql`select status, count(*)::int as n from campaign_recipients where campaign_id = ${c.id} group by status`),
      ).map((r) => [r.status, r.n]),
    );
    expect(await readCounterPrefix(db, `campaign:${c.id}:`)).toEqual(byScan);
  });

  it("takes one snapshot a minute however many instances ask, and charts the whole incident", async () => {
    const { db } = testDb();
    await Promise.all([takeSnapshot(db), takeSnapshot(db), takeSnapshot(db)]);
    const [{ n }] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from metric_snapshots where at = date_trunc('minute', now())`));
    expect(n).toBe(1);
    await db.execute(sql`
      insert into metric_snapshots (at, counts)
      select date_trunc('minute', now()) - make_interval(mins => g), jsonb_build_object('expired', g)
      from generate_series(1, 3000) g on conflict do nothing`);
    const [bounds] = rowsOf<{ first: Date | string; last: Date | string }>(await db.execute(sql`select min(at) as first, max(at) as last from metric_snapshots`));
    const points = await wholeIncident(db, 100);
    expect(points.length).toBeLessThanOrEqual(101);
    expect(points.length).toBeGreaterThan(90);
    // From the first snapshot to the newest, in order, each point a snapshot as taken.
    expect(points[0].at.getTime()).toBe(new Date(bounds.first).getTime());
    expect(points[points.length - 1].at.getTime()).toBe(new Date(bounds.last).getTime());
    expect(points.every((p, i) => i === 0 || p.at.getTime() > points[i - 1].at.getTime())).toBe(true);
    const sample = points[Math.floor(points.length / 2)];
    const minutesAgo = Math.round((Date.now() - sample.at.getTime()) / 60_000);
    if (sample.counts.expired !== undefined) expect(Math.abs(sample.counts.expired - minutesAgo)).toBeLessThanOrEqual(1);
  });
});
