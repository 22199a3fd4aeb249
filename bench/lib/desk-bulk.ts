// Bulk-answer throughput (issue 13, point 6), for the desk figure
// (bench/figures/desk.ts wires it in): emails per second of a whole bulk
// answer — targets fixed at confirmation, batches committed with their
// cursor, reply messages, thread headers, statuses, audit, then the batch
// sends — through the outbox and through the Resend SDK against the local
// Resend-compatible server. Each against a plain baseline of the same rows in
// the same run, on the same database: for every 100 requests, one insert of
// the 100 reply messages and the same 100 emails stored in the outbox (or one
// batch call through the SDK, and their sent_emails rows). Medians of
// BENCH_BULK_ROUNDS rounds of BENCH_BULK_REQUESTS requests each, after a
// warm-up round. `ratio` is the bulk answer's emails/s over the plain rows'
// (as the inbound figure): 1 is as fast as plain inserts, 0.33 is 3× slower.
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { Resend } from "resend";
import { connect, setDbHandle, type Db } from "@/db/client";
import { outboxEmails, sentEmails, supportMessages } from "@/db/schema";
import { upsertUser } from "@/lib/accounts";
import { renderEmail } from "@/lib/email";
import { renderSlotted } from "@/lib/email/slots";
import { env, resetEnvCache } from "@/lib/env";
import { createBulkAnswer, previewSelection, runBulkAnswer } from "@/lib/support/bulk";
import { bulkReplyTemplate } from "@/lib/support/bulk/send";
import { createSavedReply } from "@/lib/support/saved-reply-store";
import { createTestDatabase } from "@/test/databases";
import { insertRequests, type FixtureRequest } from "@/test/desk-fixtures";
import { startFakeResend, type FakeResend } from "@/test/fake-resend";
import type { FigureContext } from "../figures";

const REQUESTS = Number(process.env.BENCH_BULK_REQUESTS || 1000);
const ROUNDS = Number(process.env.BENCH_BULK_ROUNDS || 3);
const WARM_UP = 200;
const BODY =
  "Hello {{name}},\n\nThank you for writing to us. Only the **last four digits** of saved cards were in the copied data, " +
  "and those cannot be used to pay. See [our notice](/notice) for what we are doing.\n\nYour request: {{reference}}.";

export type BulkFigure = {
  emails: number;
  rounds: number;
  /** median seconds for one bulk answer of `emails` requests, and its emails/s */
  medianSeconds: number;
  emailsPerSecond: number;
  /** median seconds for the same rows written plainly, and their emails/s */
  plainMedianSeconds: number;
  plainEmailsPerSecond: number;
  /** emailsPerSecond / plainEmailsPerSecond (1 = as fast as plain writes; ≥ 0.33 is within 3×) */
  ratio: number;
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const round2 = (n: number) => Number(n.toFixed(2));

type Transport = "outbox" | "resend";

async function bulkRound(db: Db, agent: number, admin: number, count: number): Promise<number> {
  const tag = randomUUID().slice(0, 8);
  const requests = await insertRequests(db, count, { tag, topic: "card", message: (i) => `card question ${tag} ${i}` });
  const reply = await createSavedReply(db, admin, { title: `Bench ${tag}`, body: BODY });
  if (!reply.ok) throw new Error(reply.error);
  const selection = { kind: "query" as const, query: { filter: "open" as const, topic: "card" as const, q: tag } };
  const started = performance.now();
  const preview = await previewSelection(db, agent, selection);
  const created = await createBulkAnswer(db, agent, {
    clientKey: randomUUID(),
    savedReplyId: reply.id,
    markResolved: true,
    asOf: preview.asOf,
    confirmed: preview.count,
    selection,
  });
  if (!created.ok) throw new Error(created.error);
  const result = await runBulkAnswer(db, created.id, { batchSize: 100 });
  const seconds = (performance.now() - started) / 1000;
  if (result.state !== "done" || preview.count !== requests.length) throw new Error(`bulk answer ${result.state}, ${preview.count} targets`);
  return seconds;
}

/** The same rows written plainly: reply messages and the emails, 100 at a time. */
async function plainRound(db: Db, agent: number, count: number, transport: Transport, resend: Resend | null): Promise<number> {
  const tag = randomUUID().slice(0, 8);
  const requests = await insertRequests(db, count, { tag });
  const started = performance.now();
  for (let i = 0; i < requests.length; i += 100) {
    const chunk = requests.slice(i, i + 100);
    const emails = await Promise.all(chunk.map((r) => renderFor(r)));
    await db.transaction(async (tx) => {
      await tx.insert(supportMessages).values(chunk.map((r) => ({ requestId: r.id, kind: "reply" as const, channel: "desk" as const, authorId: agent, body: BODY })));
      if (transport === "outbox") {
        await tx.insert(outboxEmails).values(
          emails.map((e, k) => ({ to: chunk[k].email, from: env().EMAIL_FROM, subject: e.subject, text: e.text, html: e.html, idempotencyKey: `plain-${tag}-${i}#${k}` })),
        );
      } else {
        const { error } = await resend!.batch.send(
          emails.map((e, k) => ({ from: env().EMAIL_FROM, to: chunk[k].email, subject: e.subject, html: e.html, text: e.text })),
          { idempotencyKey: `plain-${tag}-${i}` },
        );
        if (error) throw new Error(error.message);
        await tx.insert(sentEmails).values(chunk.map((r) => ({ to: r.email, kind: "support_reply", subject: `Re: ${r.reference}` })));
      }
    });
  }
  return (performance.now() - started) / 1000;
}

// Rendered as the bulk answer renders them (once per template, filled per email).
async function renderFor(r: FixtureRequest) {
  const rendered = await renderSlotted(bulkReplyTemplate(BODY, { name: r.name, email: r.email, reference: r.reference }), renderEmail);
  return { subject: `Re: your support request ${r.reference}`, ...rendered };
}

async function measure(ctx: FigureContext, transport: Transport, fake: FakeResend | null): Promise<BulkFigure> {
  const created = ctx.databaseUrl ? await createTestDatabase() : { url: undefined, drop: async () => {} };
  const handle = await connect({ databaseUrl: created.url, dataDir: "memory://", poolMax: 10 });
  setDbHandle(handle);
  const db = handle.db;
  try {
    const admin = (await upsertUser(db, { email: `bench-admin-${transport}@bench.example`, role: "admin" })).id;
    const agent = (await upsertUser(db, { email: `bench-agent-${transport}@bench.example`, role: "agent" })).id;
    await db.execute(sql`update users set password_expired_at = null where id in (${admin}, ${agent})`);
    const resend = transport === "resend" ? new Resend("re_bench_bulk", { baseUrl: fake!.url }) : null;
    // Warm-up, not measured: module loading, the template's first render, the JIT, the pool.
    await bulkRound(db, agent, admin, WARM_UP);
    await plainRound(db, agent, WARM_UP, transport, resend);
    const bulk: number[] = [];
    const plain: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      bulk.push(await bulkRound(db, agent, admin, REQUESTS));
      plain.push(await plainRound(db, agent, REQUESTS, transport, resend));
    }
    const [b, p] = [median(bulk), median(plain)];
    const out: BulkFigure = {
      emails: REQUESTS,
      rounds: ROUNDS,
      medianSeconds: round2(b),
      emailsPerSecond: Math.round(REQUESTS / b),
      plainMedianSeconds: round2(p),
      plainEmailsPerSecond: Math.round(REQUESTS / p),
      // Like every desk figure: the bulk answer's time ÷ the plain writes' time for the same emails (goal ≤ 3).
      ratio: round2(b / p),
    };
    ctx.log(`  bulk answer (${transport}, ${handle.kind}): ${JSON.stringify(out)}`);
    return out;
  } finally {
    await handle.close();
    setDbHandle(undefined);
    await created.drop();
  }
}

export async function benchBulkAnswer(ctx: FigureContext): Promise<{ outbox: BulkFigure; resend: BulkFigure }> {
  const saved = { ...process.env };
  const fake = await startFakeResend({ keepBodies: false });
  const restore = () => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
    resetEnvCache();
  };
  try {
    process.env.AUTH_SECRET ||= "bench-bulk-secret-bench-bulk-secret-0123456789";
    Object.assign(process.env, { EMAIL_TRANSPORT: "outbox", BULK_ANSWER_BATCH_SIZE: "100" });
    resetEnvCache();
    const outbox = await measure(ctx, "outbox", null);
    // The provider's rate is not what is measured here: the local server answers at once.
    Object.assign(process.env, { EMAIL_TRANSPORT: "resend", RESEND_API_KEY: "re_bench_bulk", RESEND_BASE_URL: fake.url, CAMPAIGN_CALLS_PER_SECOND: "1000" });
    resetEnvCache();
    const resend = await measure(ctx, "resend", fake);
    return { outbox, resend };
  } finally {
    await fake.close();
    restore();
  }
}
