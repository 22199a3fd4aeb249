// Inbound email throughput (issue 12): signed email.received events through
// the webhook handler, the fetch through the Resend SDK from the local
// Resend-compatible server, filing and acknowledgement, until every message is
// stored and acknowledged; against plain inserts of the same rows in the same
// run, on the same database. Goal: ≥ 0.5. "The same rows" are the rows the
// pipeline stores for an email that opens a request: the event, the request,
// the message, its two thread ids (the customer's and our acknowledgement's),
// the audit row, the two per-sender cap counters and the acknowledgement's
// sent_emails row, written by one plain statement per email. The narrower
// floor of earlier runs (the request and its message only) is reported beside
// it (ratioToRequestAndMessage).
// The local server plays the provider, which is remote in production: it runs
// in a child process, so it does not share the app's event loop (it still
// shares the machine's cores). Both sides are warmed up, then measured in
// alternating rounds; the figure is the ratio of the medians.
import os from "node:os";
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { connect, rowsOf, setDbHandle, type Db } from "@/db/client";
import { resetEnvCache } from "@/lib/env";
import { handleResendWebhook } from "@/lib/webhooks";
import { receivedEvent, svixHeaders } from "@/lib/webhooks/sign";
import { inboundWorkerIdle } from "@/lib/support/inbound/worker";
import { createTestDatabase } from "@/test/databases";
import { startFakeResendProcess } from "@/test/fake-resend-process";
import type { FigureContext } from "../figures";

const EMAILS = Number(process.env.BENCH_INBOUND_EMAILS || 2000);
const ROUNDS = Number(process.env.BENCH_INBOUND_ROUNDS || 3);
const WARM_UP = Number(process.env.BENCH_INBOUND_WARM_UP || EMAILS);
const CONCURRENCY = 16;

async function inParallel<T>(items: T[], width: number, fn: (item: T) => Promise<unknown>) {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

async function count(db: Db, table: string, where = sql`true`) {
  return Number(rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from ${sql.raw(table)} where ${where}`))[0].n);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const loadAverage = () => os.loadavg().map((l) => Number(l.toFixed(2)));

export default async function inbound(ctx: FigureContext) {
  const saved = { ...process.env };
  const fake = await startFakeResendProcess({ keepBodies: false });
  const secret = `whsec_${randomBytes(24).toString("base64")}`;
  Object.assign(process.env, {
    EMAIL_TRANSPORT: "resend",
    RESEND_API_KEY: "re_bench_inbound",
    RESEND_BASE_URL: fake.url,
    RESEND_WEBHOOK_SECRET: secret,
    SUPPORT_EMAIL: "support@bench.example",
    SUPPORT_INBOUND_NEW_PER_HOUR: "1000",
    SUPPORT_INBOUND_ACKS_PER_HOUR: "1000",
  });
  process.env.AUTH_SECRET ||= "bench-inbound-secret-bench-inbound-secret-0123";
  resetEnvCache();
  const created = ctx.databaseUrl ? await createTestDatabase() : { url: undefined, drop: async () => {} };
  const handle = await connect({ databaseUrl: created.url, dataDir: "memory://", poolMax: 10 });
  setDbHandle(handle);
  const db = handle.db;
  try {
    let batch = 0;
    const emailsOf = (n: number) => {
      const tag = `r${batch++}-`;
      return fake.receive(
        Array.from({ length: n }, (_, i) => ({
          from: `Bench Sender ${i} <sender-${tag}${i}@customers.bench.example>`,
          to: ["support@bench.example"],
          subject: `Locked out ${i}`,
          text: `I cannot sign in since the notice. Message ${i}.`,
        })),
      );
    };
    type Emails = Awaited<ReturnType<typeof emailsOf>>;
    // Signed events → the webhook (16 at a time, as the provider delivers) → the in-app worker, until it is idle.
    const pipeline = async (emails: Emails) => {
      const events = emails.map((e) => {
        const body = receivedEvent(e);
        return { body, headers: new Headers(svixHeaders(secret, body)) };
      });
      const stored = await count(db, "support_messages", sql`inbound_event_id is not null`);
      const sent = await fake.sentCount();
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await inParallel(events, CONCURRENCY, async (e) => {
        const answer = await handleResendWebhook(db, e.body, e.headers);
        if (answer.status !== 200) throw new Error(`webhook answered ${answer.status}`);
      });
      await inboundWorkerIdle();
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      // Every email stored once and acknowledged once, or there is no figure.
      const messages = (await count(db, "support_messages", sql`inbound_event_id is not null`)) - stored;
      const acknowledgements = (await fake.sentCount()) - sent;
      if (messages !== emails.length || acknowledgements !== emails.length) {
        throw new Error(`${emails.length} emails: ${messages} messages stored, ${acknowledgements} acknowledged`);
      }
      return { perSecond: emails.length / (ms / 1000), cpuMsPerEmail: (cpu.user + cpu.system) / 1000 / emails.length };
    };
    let serial = 0; // the plain sides' references: never a collision with the unique key
    const timed = async (emails: Emails, write: (e: Emails[number]) => Promise<unknown>) => {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await inParallel(emails, CONCURRENCY, write);
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      return { perSecond: emails.length / (ms / 1000), cpuMsPerEmail: (cpu.user + cpu.system) / 1000 / emails.length };
    };
    // The same rows, inserted plainly: one statement per email, 16 at a time.
    const plain = (emails: Emails) =>
      timed(emails, async (e) => {
        const sender = `plain-${e.id}@customers.bench.example`;
        const reference = `RD-P${++serial}`;
        await db.execute(sql`
          with ev as (
            insert into inbound_events (svix_id, email_id, payload, status, attempts, outcome, processed_at)
            values (${`plain-${e.id}`}, ${`plain-${e.id}`}, ${JSON.stringify(receivedEvent(e))}::jsonb, 'done', 1, 'request', now())
            returning id),
          r as (
            insert into support_requests (reference, email, name, channel, topic)
            values (${reference}, ${sender}, 'Bench Sender', 'email', 'sign-in')
            returning id),
          m as (
            insert into support_messages (request_id, kind, channel, body, from_address, subject, message_id, inbound_event_id)
            select r.id, 'customer', 'email', ${e.text}, ${e.from}, ${e.subject}, ${`<plain-${e.id}@customers.bench.example>`}, ev.id from r, ev
            returning request_id),
          t as (
            insert into support_thread_ids (message_id, request_id, ours)
            select x.mid, m.request_id, x.ours from m,
              (values (${`<plain-${e.id}@customers.bench.example>`}, false), (${`<plain-ack-${e.id}@bench.example>`}, true)) as x(mid, ours)),
          a as (
            insert into audit_events (action, detail)
            select 'support.request_created', jsonb_build_object('requestId', r.id, 'reference', ${reference}::text, 'channel', 'email') from r),
          c as (
            insert into rate_limit_buckets (policy, key, window_start, count)
            values ('inbound:new', ${`new-${sender}`}, date_trunc('hour', now()), 1), ('inbound:ack', ${`ack-${sender}`}, date_trunc('hour', now()), 1)
            on conflict (policy, key, window_start) do update set count = rate_limit_buckets.count + 1)
          insert into sent_emails ("to", kind, subject, status, provider_message_id, message_id)
          values (${sender}, 'support_confirmation', ${`Your support request ${reference}`}, 'sent', ${`plain-${e.id}`}, ${`<plain-ack-${e.id}@bench.example>`})`);
      });
    // The narrower floor of earlier runs: the request and its message only.
    const requestAndMessage = (emails: Emails) =>
      timed(emails, async (e) => {
        await db.execute(sql`
          with r as (
            insert into support_requests (reference, email, name, channel)
            values (${`RD-B${++serial}`}, ${`plain2-${e.id}@customers.bench.example`}, 'Bench', 'email')
            returning id)
          insert into support_messages (request_id, kind, channel, body, from_address, subject, message_id)
          select id, 'customer', 'email', ${e.text}, ${e.from}, ${e.subject}, ${`plain2-${e.message_id}`} from r`);
      });

    // Warm-up, not measured, for both sides alike: module loading, the first
    // render of the acknowledgement template, the JIT (the fetch thread's too), the pools.
    const loadBefore = loadAverage();
    const warm = await emailsOf(WARM_UP);
    await pipeline(warm);
    await plain(warm);
    await requestAndMessage(warm);

    // Alternating rounds, medians of each side: a burst of other load on the machine moves both, not one.
    const rounds: {
      pipelinePerSecond: number;
      plainInsertsPerSecond: number;
      requestAndMessagePerSecond: number;
      appCpuMsPerEmail: { pipeline: number; plain: number };
    }[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const emails = await emailsOf(EMAILS);
      const p = await pipeline(emails);
      const q = await plain(emails);
      const two = await requestAndMessage(emails);
      rounds.push({
        pipelinePerSecond: Math.round(p.perSecond),
        plainInsertsPerSecond: Math.round(q.perSecond),
        requestAndMessagePerSecond: Math.round(two.perSecond),
        // This process only (the webhook, the worker and its fetch thread; the plain side's driver): not the database, not the provider.
        appCpuMsPerEmail: { pipeline: Number(p.cpuMsPerEmail.toFixed(3)), plain: Number(q.cpuMsPerEmail.toFixed(3)) },
      });
      ctx.log(
        `  inbound round ${r + 1}: pipeline ${Math.round(p.perSecond)}/s, plain inserts of the same rows ${Math.round(q.perSecond)}/s, request and message only ${Math.round(two.perSecond)}/s, load ${loadAverage()[0]}`,
      );
    }
    const pipelineMedian = median(rounds.map((r) => r.pipelinePerSecond));
    const plainMedian = median(rounds.map((r) => r.plainInsertsPerSecond));
    const twoRowMedian = median(rounds.map((r) => r.requestAndMessagePerSecond));
    const out = {
      emails: EMAILS,
      rounds,
      warmUp: WARM_UP,
      database: handle.kind,
      provider: "local Resend-compatible server in a child process",
      pipelinePerSecond: pipelineMedian,
      plainInsertsPerSecond: plainMedian,
      plainRows: "per email: the event, the request, the message, two thread ids, the audit row, two cap counters, the acknowledgement's sent_emails row",
      ratio: Number((pipelineMedian / plainMedian).toFixed(2)),
      requestAndMessagePerSecond: twoRowMedian,
      ratioToRequestAndMessage: Number((pipelineMedian / twoRowMedian).toFixed(2)),
      loadAverage: { before: loadBefore, after: loadAverage() },
    };
    ctx.log(`  inbound: ${JSON.stringify(out)}`);
    return out;
  } finally {
    await inboundWorkerIdle();
    await handle.close();
    setDbHandle(undefined);
    await created.drop();
    await fake.close();
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
    resetEnvCache();
  }
}
