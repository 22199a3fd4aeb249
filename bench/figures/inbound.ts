// Inbound email throughput (issue 12): signed email.received events through
// the webhook handler, the fetch through the Resend SDK from the local
// Resend-compatible server, filing and acknowledgement, until every message is
// stored; against plain inserts of the same rows (a request and its message
// per email) in the same run, on the same kind of database. Goal: ≥ 0.5.
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { connect, rowsOf, setDbHandle, type Db } from "@/db/client";
import { resetEnvCache } from "@/lib/env";
import { handleResendWebhook } from "@/lib/webhooks";
import { receivedEvent, svixHeaders } from "@/lib/webhooks/sign";
import { inboundWorkerIdle } from "@/lib/support/inbound/worker";
import { createTestDatabase } from "@/test/databases";
import { startFakeResend } from "@/test/fake-resend";
import type { FigureContext } from "../figures";

const EMAILS = Number(process.env.BENCH_INBOUND_EMAILS || 1000);
const CONCURRENCY = 16;
const WARM_UP = 40;

async function inParallel<T>(items: T[], width: number, fn: (item: T) => Promise<unknown>) {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

async function count(db: Db, table: string, where = sql`true`) {
  return Number(rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from ${sql.raw(table)} where ${where}`))[0].n);
}

export default async function inbound(ctx: FigureContext) {
  const saved = { ...process.env };
  const fake = await startFakeResend({ keepBodies: false });
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
    const emailsOf = (n: number, tag: string) =>
      Array.from({ length: n }, (_, i) =>
        fake.receive({
          from: `Bench Sender ${i} <sender-${tag}${i}@customers.bench.example>`,
          to: ["support@bench.example"],
          subject: `Locked out ${i}`,
          text: `I cannot sign in since the notice. Message ${i}.`,
        }),
      );
    const pipeline = async (emails: ReturnType<typeof emailsOf>) => {
      const events = emails.map((e) => {
        const body = receivedEvent(e);
        return { body, headers: new Headers(svixHeaders(secret, body)) };
      });
      const t0 = performance.now();
      await inParallel(events, CONCURRENCY, async (e) => {
        const answer = await handleResendWebhook(db, e.body, e.headers);
        if (answer.status !== 200) throw new Error(`webhook answered ${answer.status}`);
      });
      await inboundWorkerIdle();
      return performance.now() - t0;
    };
    // The same rows, inserted plainly: one request and its message per email.
    const plain = async (emails: ReturnType<typeof emailsOf>) => {
      const t1 = performance.now();
      await inParallel(emails, CONCURRENCY, async (e) => {
        await db.execute(sql`
          with r as (
            insert into support_requests (reference, email, name, channel)
            values (${`RD-B${randomBytes(4).toString("hex").toUpperCase()}`}, ${`plain-${e.id}@customers.bench.example`}, 'Bench', 'email')
            returning id)
          insert into support_messages (request_id, kind, channel, body, from_address, subject, message_id)
          select id, 'customer', 'email', ${e.text}, ${e.from}, ${e.subject}, ${`plain-${e.message_id}`} from r`);
      });
      return performance.now() - t1;
    };

    // Warm-up, not measured, for both sides alike: module loading, the first
    // render of the acknowledgement template, the JIT, the connection pool.
    const warm = emailsOf(WARM_UP, "warm-");
    await pipeline(warm);
    await plain(warm);
    const sentBefore = fake.sent.length;

    const emails = emailsOf(EMAILS, "");
    const pipelineMs = await pipeline(emails);
    const stored = (await count(db, "support_messages", sql`channel = 'email' and message_id not like 'plain-%'`)) - WARM_UP;
    const acks = fake.sent.length - sentBefore;
    const plainMs = await plain(emails);

    const pipelinePerSecond = EMAILS / (pipelineMs / 1000);
    const plainPerSecond = EMAILS / (plainMs / 1000);
    const out = {
      emails: EMAILS,
      database: handle.kind,
      storedMessages: stored,
      acknowledgements: acks,
      pipelinePerSecond: Math.round(pipelinePerSecond),
      plainInsertsPerSecond: Math.round(plainPerSecond),
      ratio: Number((pipelinePerSecond / plainPerSecond).toFixed(2)),
    };
    ctx.log(`  inbound: ${JSON.stringify(out)}`);
    return out;
  } finally {
    await handle.close();
    setDbHandle(undefined);
    await created.drop();
    await fake.close();
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
    resetEnvCache();
  }
}
