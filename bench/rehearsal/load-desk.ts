// Load phase, part three: what the day adds around the campaign, set-based —
// a share of customers who have set a new password through their campaign
// link (the rows the reset flow leaves: new hash, expiry cleared, session
// version moved on, link used, two audit events), support requests with
// their first message in the desk's states, and a VACUUM ANALYZE as the
// autovacuum would eventually do.
import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { hashPassword } from "@/lib/passwords";
import { STAFF } from "./load-accounts";
import { progress, round, step, timed, type Figures } from "./steps";

const CHUNK = 500_000;

// The five things most people ask on the day (issue 13), with their topics.
const QUESTIONS: [string, string][] = [
  ["I can't sign in since this morning, it says my password is wrong.", "sign-in"],
  ["Is my card safe? You say the last four digits were taken.", "card"],
  ["Was my password stolen? I use it on other sites too.", "other"],
  ["Is this email genuine? It asks me to click a link to reset my password.", "genuine"],
  ["Please delete my account and everything you hold about me.", "data"],
];

export async function resetsSetBased(db: Db, share: number): Promise<Figures> {
  return step(db, "resets", `Resets: ${share * 100}% of customers set a new password (set-based)`, async () => {
    const hash = await hashPassword("rehearsal: a new password chosen after the breach");
    const [range] = rowsOf<{ lo: string; hi: string }>(await db.execute(sql`select min(id)::int8 as lo, max(id)::int8 as hi from users`));
    const lo = Number(range.lo) - 1;
    const hi = Number(range.hi);
    const perTenThousand = Math.round(share * 1e4);
    let changed = 0;
    const show = progress("accounts looked at", hi - lo);
    const { seconds } = await timed(async () => {
      for (let from = lo; from < hi; from += CHUNK) {
        const [row] = rowsOf<{ n: number }>(
          await db.execute(sql`
            with picked as (
              select u.id from users u
              where u.id > ${from} and u.id <= ${from + CHUNK} and u.role = 'customer' and u.password_expired_at is not null
                and (u.id * 40503) % 10000 < ${perTenThousand}),
            changed as (
              update users u set password_hash = ${hash}, password_changed_at = now(), password_expired_at = null,
                session_version = u.session_version + 1
              from picked p where u.id = p.id returning u.id),
            used as (
              update reset_tokens t set used_at = now() from changed c
              where t.user_id = c.id and t.purpose = 'campaign' and t.used_at is null and t.revoked_at is null),
            audited as (
              insert into audit_events (action, subject_id, actor_id, ip, detail)
              select 'reset_link.used', id, null, '203.0.113.9', '{"purpose":"campaign"}'::jsonb from changed
              union all
              select 'password.changed', id, id, '203.0.113.9', null from changed)
            select count(*)::int as n from changed`),
        );
        changed += row.n;
        show(Math.min(from + CHUNK, hi) - lo);
      }
    });
    show(hi - lo, true);
    return { share, changed, seconds: round(seconds, 1) };
  });
}

export async function requestsSetBased(db: Db, count: number): Promise<Figures> {
  return step(db, "requests", `Support requests: ${count.toLocaleString("en-US")} with their first message (set-based)`, async () => {
    const [agent] = rowsOf<{ id: string }>(await db.execute(sql`select id from users where email = ${STAFF.agent.email}`));
    const [range] = rowsOf<{ lo: string; hi: string }>(
      await db.execute(sql`select min(id)::int8 as lo, max(id)::int8 as hi from users where role = 'customer'`),
    );
    const lo = Number(range.lo);
    const stride = Math.max(1, Math.floor((Number(range.hi) - lo) / count));
    const questions = sql`(array[${sql.join(QUESTIONS.map(([q]) => sql`${q}::text`), sql`, `)}])`;
    const topics = sql`(array[${sql.join(QUESTIONS.map(([, t]) => sql`${t}::text`), sql`, `)}])`;
    const { value, seconds } = await timed(async () => {
      const [row] = rowsOf<{ n: number }>(
        await db.execute(sql`
          with picked as (
            select g, u.id, u.email, u.name from generate_series(1, ${count}) g
            join users u on u.id = ${lo} + (g - 1) * ${stride}),
          requests as (
            insert into support_requests (reference, email, name, user_id, status, topic, channel, assigned_to, created_at, updated_at, resolved_at)
            select 'RD-' || upper(substr(md5(p.id::text || ' rehearsal'), 1, 12)), p.email, coalesce(p.name, 'Customer'), p.id,
              case p.g % 5 when 0 then 'waiting' when 1 then 'resolved' when 2 then 'resolved' else 'open' end,
              ${topics}[1 + p.g % ${QUESTIONS.length}],
              case when p.g % 3 = 0 then 'email' else 'web' end,
              case when p.g % 10 = 3 then ${Number(agent.id)}::int8 end,
              now() - make_interval(secs => (${count} - p.g) * 2), now() - make_interval(secs => (${count} - p.g) * 2),
              case when p.g % 5 in (1, 2) then now() end
            from picked p
            on conflict (reference) do nothing
            returning id, user_id, topic, created_at),
          messages as (
            insert into support_messages (request_id, kind, channel, body, created_at)
            select id, 'customer', 'web', ${questions}[array_position(${topics}, topic)], created_at from requests),
          audited as (
            insert into audit_events (action, subject_id, ip, at, detail)
            select 'support.request_created', user_id, '198.51.100.20', created_at, jsonb_build_object('requestId', id) from requests)
          select count(*)::int as n from requests`),
      );
      return row.n;
    });
    return { requests: value, seconds: round(seconds, 1) };
  });
}

export async function vacuumAnalyze(db: Db): Promise<Figures> {
  return step(db, "vacuum", "VACUUM ANALYZE (what autovacuum would do in time)", async () => {
    const { seconds } = await timed(() => db.execute(sql`vacuum analyze`));
    const sizes = rowsOf<{ table: string; rows: string; bytes: string }>(
      await db.execute(sql`
        select c.relname as table, c.reltuples::int8 as rows, pg_total_relation_size(c.oid)::int8 as bytes
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind = 'r' and pg_total_relation_size(c.oid) > 8 * 1024 * 1024
        order by pg_total_relation_size(c.oid) desc`),
    );
    return {
      seconds: round(seconds, 1),
      tables: Object.fromEntries(sizes.map((s) => [s.table, { rows: Number(s.rows), megabytes: Math.round(Number(s.bytes) / 2 ** 20) }])),
    };
  });
}
