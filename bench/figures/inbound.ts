// Inbound email throughput (issue 12): signed email.received events through
// the webhook handler, the fetch through the Resend SDK from the local
// Resend-compatible server, filing and acknowledgement, until every message is
// stored and acknowledged; against plain inserts of the same rows (a request
// and its message per email) in the same run, on the same database. Goal: ≥ 0.5.
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
    // The same rows, inserted plainly: one request and its message per email, one statement each, 16 at a time.
    const plain = async (emails: Emails) => {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await inParallel(emails, CONCURRENCY, async (e) => {
        await db.execute(sql`
          with r as (
            insert into support_requests (reference, email, name, channel)
            values (${`RD-B${randomBytes(4).toString("hex").toUpperCase()}`}, ${`plain-${e.id}@customers.bench.example`}, 'Bench', 'email')
            returning id)
          insert into support_messages (request_id, kind, channel, body, from_address, subject, message_id)
          select id, 'customer', 'email', ${e.text}, ${e.from}, ${e.subject}, ${`plain-${e.message_id}`} from r`);
      });
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      return { perSecond: emails.length / (ms / 1000), cpuMsPerEmail: (cpu.user + cpu.system) / 1000 / emails.length };
    };

    // Warm-up, not measured, for both sides alike: module loading, the first
    // render of the acknowledgement template, the JIT (the fetch thread's too), the pools.
    const loadBefore = loadAverage();
    const warm = await emailsOf(WARM_UP);
    await pipeline(warm);
    await plain(warm);

    // Alternating rounds, medians of each side: a burst of other load on the machine moves both, not one.
    const rounds: { pipelinePerSecond: number; plainInsertsPerSecond: number; appCpuMsPerEmail: { pipeline: number; plain: number } }[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const emails = await emailsOf(EMAILS);
      const p = await pipeline(emails);
      const q = await plain(emails);
      rounds.push({
        pipelinePerSecond: Math.round(p.perSecond),
        plainInsertsPerSecond: Math.round(q.perSecond),
        // This process only (the webhook, the worker and its fetch thread; the plain side's driver): not the database, not the provider.
        appCpuMsPerEmail: { pipeline: Number(p.cpuMsPerEmail.toFixed(3)), plain: Number(q.cpuMsPerEmail.toFixed(3)) },
      });
      ctx.log(`  inbound round ${r + 1}: pipeline ${Math.round(p.perSecond)}/s, plain inserts ${Math.round(q.perSecond)}/s, load ${loadAverage()[0]}`);
    }
    const pipelineMedian = median(rounds.map((r) => r.pipelinePerSecond));
    const plainMedian = median(rounds.map((r) => r.plainInsertsPerSecond));
    const out = {
      emails: EMAILS,
      rounds,
      warmUp: WARM_UP,
      database: handle.kind,
      provider: "local Resend-compatible server in a child process",
      pipelinePerSecond: pipelineMedian,
      plainInsertsPerSecond: plainMedian,
      ratio: Number((pipelineMedian / plainMedian).toFixed(2)),
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
