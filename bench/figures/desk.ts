// The desk at volume (issue 13, point 6): on PostgreSQL with 100,000 requests
// and 1,000,000 messages, each desk query the queue page runs, timed against
// a plain indexed SELECT of the same rows in the same run, alternating one
// call of each so both see the same cache and load. Each figure's `ratio` is
// the desk's median time ÷ the plain query's median time (lower is better;
// the goal is ≤ 3). Both sides pass their values as parameters, as the app
// must, so both pay the same protocol (drizzle's statements are unnamed: a
// describe round trip each). BENCH_DESK_REQUESTS / BENCH_DESK_MESSAGES_PER_REQUEST /
// BENCH_DESK_ROUNDS scale it down for a quick look.
import { sql, type SQL } from "drizzle-orm";
import { connect, rowsOf, type Db } from "@/db/client";
import { queueCounts, queueRows, searchCount, takeNext } from "@/lib/support/queue";
import type { QueueFilter } from "@/lib/support/queue-query";
import { createTestDatabase } from "@/test/databases";
import type { FigureContext } from "../figures";
import { benchBulkAnswer } from "../lib/desk-bulk";

const REQUESTS = Number(process.env.BENCH_DESK_REQUESTS || 100_000);
const PER_REQUEST = Number(process.env.BENCH_DESK_MESSAGES_PER_REQUEST || 10);
const ROUNDS = Number(process.env.BENCH_DESK_ROUNDS || 300);
const WARM_UP = 30;
/** A word in one message of a thousand (about 1,000 messages of the million). */
const RARE_WORD = "chargeback";
/** A vocabulary word: in about one message of five. */
const COMMON_WORD = "stolen";
/** A word in about 10,000 messages, all of them on resolved requests: none in the open queue. */
const ELSEWHERE_WORD = "escalated";

const VOCABULARY = (
  "password reset link email notice breach account sign locked card bank payment refund phishing genuine data delete " +
  "export address phone order delivery help please thanks since yesterday today cannot login working again still " +
  "waiting answer support customer security stolen change new old browser phone app error message code receive"
).split(" ");

export async function seedDesk(db: Db, log: (line: string) => void) {
  const started = performance.now();
  await db.execute(sql`insert into users (email, role) values ('desk-a@bench.example', 'agent'), ('desk-b@bench.example', 'agent')`);
  const [a, b] = rowsOf<{ id: number | string }>(await db.execute(sql`select id from users where email like 'desk-_@bench.example' order by email`)).map((r) => Number(r.id));
  // Requests a second apart (every fifth pair shares one), 60% open, 15% waiting, 25% resolved; a fifth assigned.
  await db.execute(sql`
    insert into support_requests (reference, email, name, status, topic, assigned_to, channel, created_at, updated_at)
    select 'RD-B' || lpad(g::text, 7, '0'), 'customer' || g || '@desk-bench.example', 'Customer ' || g,
      case when g % 20 < 12 then 'open' when g % 20 < 15 then 'waiting' else 'resolved' end,
      (array['sign-in', 'card', 'genuine', 'data', 'other'])[1 + g % 5],
      case when g % 10 = 0 then ${a}::bigint when g % 10 = 5 then ${b}::bigint end,
      case when g % 3 = 0 then 'email' else 'web' end,
      timestamptz '2026-01-01' + make_interval(secs => g - (g % 5 = 1)::int), timestamptz '2026-01-01' + make_interval(secs => g)
    from generate_series(1, ${REQUESTS}) g`);
  // The full-text index is built once after the million messages, not updated a million times.
  const [index] = rowsOf<{ def: string }>(await db.execute(sql`select pg_get_indexdef('support_messages_search_idx'::regclass) as def`));
  await db.execute(sql`drop index support_messages_search_idx`);
  const words = sql.raw(`array[${VOCABULARY.map((w) => `'${w}'`).join(",")}]`);
  await db.execute(sql`
    insert into support_messages (request_id, kind, channel, body, created_at)
    select r.id, case when k % 2 = 1 then 'customer' else 'reply' end, case when k % 2 = 1 then 'web' else 'desk' end,
      (select string_agg((${words})[1 + ((r.id * 7919 + k * 104729 + i * 31) % ${VOCABULARY.length})], ' ') from generate_series(1, 14) i)
        || case when (r.id * 7919 + k * 104729) % 1000 = 0 then ' ${sql.raw(RARE_WORD)}' else '' end
        || case when r.status = 'resolved' and (r.id * 7919 + k * 104729) % 25 = 0 then ' ${sql.raw(ELSEWHERE_WORD)}' else '' end,
      r.created_at + make_interval(mins => k)
    from support_requests r cross join generate_series(1, ${PER_REQUEST}) k`);
  await db.execute(sql.raw(index.def));
  await db.execute(sql`vacuum analyze`);
  log(`  desk: seeded ${REQUESTS.toLocaleString("en-US")} requests and ${(REQUESTS * PER_REQUEST).toLocaleString("en-US")} messages in ${Math.round((performance.now() - started) / 1000)} s`);
  return { agent: a };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Alternates the desk call and the plain query; medians in milliseconds and their ratio. */
async function compare(desk: () => Promise<unknown>, plain: () => Promise<unknown>, rounds = ROUNDS) {
  for (let i = 0; i < Math.min(WARM_UP, rounds); i++) {
    await desk();
    await plain();
  }
  const times = { desk: [] as number[], plain: [] as number[] };
  for (let i = 0; i < rounds; i++) {
    for (const [side, fn] of i % 2 ? ([["plain", plain], ["desk", desk]] as const) : ([["desk", desk], ["plain", plain]] as const)) {
      const t0 = performance.now();
      await fn();
      times[side].push(performance.now() - t0);
    }
  }
  const deskMs = median(times.desk);
  const plainMs = median(times.plain);
  return { deskMedianMs: Number(deskMs.toFixed(3)), plainMedianMs: Number(plainMs.toFixed(3)), ratio: Number((deskMs / plainMs).toFixed(2)) };
}

// The page's rows: the request's columns and the assignee's address.
const columns = sql`r.id, r.reference, r.email, r.name, r.status, r.topic, r.channel, r.assigned_to, a.email as assignee, r.created_at, r.updated_at`;
const rowsFrom = sql`support_requests r left join users a on a.id = r.assigned_to`;
const filterSql = (filter: QueueFilter, agent: number): SQL =>
  filter === "mine" ? sql`assigned_to = ${agent} and status in ('open', 'waiting')` : sql`status = ${filter}`;

export default async function desk(ctx: FigureContext) {
  if (!ctx.databaseUrl) return { skipped: "the desk figures are measured on PostgreSQL (no DATABASE_URL and no throwaway cluster here)" };
  const created = await createTestDatabase();
  const handle = await connect({ databaseUrl: created.url, poolMax: 4 });
  const db = handle.db;
  const out: Record<string, unknown> = { requests: REQUESTS, messages: REQUESTS * PER_REQUEST, rounds: ROUNDS, ratioMeans: "desk median ÷ plain median (goal ≤ 3)" };
  try {
    const { agent } = await seedDesk(db, ctx.log);
    const run = async (name: string, desk: () => Promise<unknown>, plain: () => Promise<unknown>, rounds?: number) => {
      out[name] = await compare(desk, plain, rounds);
      ctx.log(`  desk.${name}: ${JSON.stringify(out[name])}`);
    };

    await run(
      "queueFirstPage",
      () => queueRows(db, agent, { filter: "open" }),
      () => db.execute(sql`select ${columns} from ${rowsFrom} where r.status = ${"open"} order by r.created_at, r.id limit ${51}`),
    );
    const [deep] = rowsOf<{ id: number | string; at: string }>(
      await db.execute(sql`select id, created_at::text as at from support_requests where status = 'open' order by created_at, id offset ${Math.floor(REQUESTS * 0.4)} limit 1`),
    );
    await run(
      "queueDeepPage",
      () => queueRows(db, agent, { filter: "open" }, { after: Number(deep.id) }),
      () => db.execute(sql`
        select ${columns} from ${rowsFrom}
        where r.status = ${"open"} and (r.created_at, r.id) > (${deep.at}::timestamptz, ${deep.id}::bigint) order by r.created_at, r.id limit ${51}`),
    );
    // Each filter's counts as the page reads them (every filter and topic of the view, from the counters),
    // against counting the same rows through their index.
    for (const filter of ["open", "mine", "waiting", "resolved"] as const) {
      await run(
        `counts${filter[0].toUpperCase()}${filter.slice(1)}`,
        () => queueCounts(db, agent, { filter }),
        () => db.execute(sql`select count(*) from support_requests where ${filterSql(filter, agent)}`),
        Math.min(ROUNDS, 60),
      );
    }
    const vector = sql`to_tsvector('english', coalesce(subject, '') || ' ' || body)`;
    // The plain query for a rare word reads the GIN index first (a materialized CTE), the plan it
    // needs; left to itself the planner may walk the whole open queue instead (seen: seconds).
    await run(
      "search",
      () => queueRows(db, agent, { filter: "open", q: RARE_WORD }),
      () => db.execute(sql`
        with m as materialized (select request_id from support_messages where ${vector} @@ websearch_to_tsquery('english', ${RARE_WORD}))
        select ${columns} from ${rowsFrom} where r.status = ${"open"} and r.id in (select request_id from m)
        order by r.created_at, r.id limit ${51}`),
    );
    // For the record (not a goal): a word in about one message of five. The plain query walks the
    // open queue in order and stops at 51; the desk first checks in the GIN index that the word is
    // common (reading its whole posting list), then walks the same way.
    await run(
      "searchCommonWord",
      () => queueRows(db, agent, { filter: "open", q: COMMON_WORD }),
      () => db.execute(sql`
        select ${columns} from ${rowsFrom} where r.status = ${"open"}
          and r.id in (select request_id from support_messages where ${vector} @@ websearch_to_tsquery('english', ${COMMON_WORD}))
        order by r.created_at, r.id limit ${51}`),
      10,
    );
    // For the record (not a goal): a word found only outside the view, against the query left to the
    // planner, which may walk the whole open queue reading every message; the desk looks the word up first.
    await run(
      "searchWordElsewhere",
      () => queueRows(db, agent, { filter: "open", q: ELSEWHERE_WORD }),
      () => db.execute(sql`
        select ${columns} from ${rowsFrom} where r.status = ${"open"}
          and r.id in (select request_id from support_messages where ${vector} @@ websearch_to_tsquery('english', ${ELSEWHERE_WORD}))
        order by r.created_at, r.id limit ${51}`),
      2,
    );
    await run(
      "searchMatching",
      () => searchCount(db, agent, { filter: "open", q: RARE_WORD }),
      () => db.execute(sql`
        with m as materialized (select request_id from support_messages where ${vector} @@ websearch_to_tsquery('english', ${RARE_WORD}))
        select count(*) from (select 1 from support_requests where status = ${"open"} and id in (select request_id from m) limit ${1001}) s`),
    );
    await run(
      "takeNext",
      async () => {
        const taken = await takeNext(db, agent, { filter: "open" });
        if (!taken.ok) throw new Error("Take next found nothing to take");
      },
      () => db.execute(sql`
        update support_requests set assigned_to = ${agent}, updated_at = now()
        where id = (select id from support_requests where status = ${"open"} and assigned_to is null
                    order by created_at, id limit 1 for update skip locked)
          and assigned_to is null
        returning id`),
    );
  } finally {
    await handle.close();
    await created.drop();
  }
  // Bulk-answer throughput (emails/s through the outbox and the local Resend server), each on a fresh database.
  const bulk = await benchBulkAnswer(ctx);
  out.bulkAnswerOutbox = bulk.outbox;
  out.bulkAnswerResend = bulk.resend;
  return out;
}
