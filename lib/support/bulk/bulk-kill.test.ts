// A bulk answer killed halfway — the process, SIGKILL, while the provider
// holds a batch it accepted but has not answered — and resumed by another
// process: every customer gets exactly one email, counted at the local
// Resend-compatible server (issue 13, point 2). PostgreSQL only: two processes
// share the database.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bulkAnswers, bulkDeliveries, sentEmails, supportMessages } from "@/db/schema";
import { upsertUser } from "@/lib/accounts";
import { startFakeResend, type FakeResend } from "@/test/fake-resend";
import { insertRequests } from "@/test/desk-fixtures";
import { uniqueEmail, withTestDb } from "@/test/db";
import { postgresUnavailable, usePostgres } from "@/test/pg-vitest";
import { createSavedReply } from "../saved-reply-store";
import { createBulkAnswer, previewSelection } from "./index";

const why = postgresUnavailable();
if (why) console.warn(`Skipping the bulk-answer kill test: ${why}.`);

const REQUESTS = 450;
const BATCH = 50;

describe.skipIf(Boolean(why))("a bulk answer killed halfway on PostgreSQL", () => {
  usePostgres(Number(process.env.BULK_KILL_PG_PORT || 3306));
  const testDb = withTestDb();
  let fake: FakeResend;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    // Now and then the provider fails a call (500): retried under the same key.
    fake = await startFakeResend({ failures: (i) => (i % 7 === 3 ? { status: 500 } : null) });
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
    await fake?.close();
  });

  function runner(jobId: number): { child: ChildProcess; output: () => string } {
    const child = spawn(process.execPath, ["--import", "tsx", "cli/index.ts", "bulk-answer", "run", String(jobId)], {
      env: {
        ...process.env,
        NODE_ENV: "test",
        DATABASE_URL: testDb().url,
        EMAIL_TRANSPORT: "resend",
        RESEND_API_KEY: "re_test_bulk",
        RESEND_BASE_URL: fake.url,
        BULK_ANSWER_BATCH_SIZE: String(BATCH),
        BULK_ANSWER_LEASE_SECONDS: "3",
        CAMPAIGN_CALLS_PER_SECOND: "50",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (out += d));
    children.push(child);
    return { child, output: () => out };
  }

  const exited = (c: ChildProcess) =>
    new Promise<number | null>((resolve) => (c.exitCode !== null || c.signalCode ? resolve(c.exitCode) : c.once("exit", (code) => resolve(code))));
  const accepted = () => fake.calls.filter((c) => c.status === 200 && !c.replayed).length;

  it("sends the rest after a restart and nothing twice", async () => {
    const { db } = testDb();
    const admin = (await upsertUser(db, { email: uniqueEmail("admin"), role: "admin", password: "a quiet walk along the river" })).id;
    const agent = (await upsertUser(db, { email: uniqueEmail("agent"), role: "agent", password: "a quiet walk along the river" })).id;
    const reply = await createSavedReply(db, admin, { title: "Is my card safe", body: "Hello {{name}},\n\nYour card number was **not** taken. ({{reference}})" });
    if (!reply.ok) throw new Error(reply.error);
    const requests = await insertRequests(db, REQUESTS);
    const selection = { kind: "ids" as const, ids: requests.map((r) => r.id) };
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

    // Four batches go through; the provider takes the fifth and answers only
    // after 10 s: the runner is killed while it waits, before its bookkeeping.
    const first = runner(created.id);
    await expect.poll(accepted, { timeout: 60_000, interval: 20 }).toBeGreaterThanOrEqual(4);
    fake.setAnswerDelay(10_000);
    const before = accepted();
    await expect.poll(accepted, { timeout: 30_000, interval: 20 }).toBeGreaterThan(before);
    first.child.kill("SIGKILL");
    await exited(first.child);
    fake.setAnswerDelay(0);

    // Halfway: some customers were emailed, and the provider holds a batch the
    // database still records as not emailed.
    const sentBeforeKill = new Set(fake.sent.map((e) => e.to));
    expect(sentBeforeKill.size).toBeGreaterThan(0);
    expect(sentBeforeKill.size).toBeLessThan(REQUESTS);
    const unconfirmed = await db
      .select({ requestId: bulkDeliveries.requestId })
      .from(bulkDeliveries)
      .where(and(eq(bulkDeliveries.bulkAnswerId, created.id), isNull(bulkDeliveries.emailedAt)));
    expect(unconfirmed.length).toBe(BATCH);
    const [job] = await db.select({ status: bulkAnswers.status }).from(bulkAnswers).where(eq(bulkAnswers.id, created.id));
    expect(job.status).toBe("running");

    // Another process resumes once the dead runner's lease has run out.
    const second = runner(created.id);
    expect(await exited(second.child), second.output()).toBe(0);

    const perAddress = new Map<string, number>();
    for (const e of fake.sent) perAddress.set(e.to, (perAddress.get(e.to) ?? 0) + 1);
    expect(perAddress.size).toBe(REQUESTS);
    expect([...perAddress.values()].every((n) => n === 1)).toBe(true);
    // The killed batch was sent again under its key and answered from it.
    expect(fake.calls.some((c) => c.replayed)).toBe(true);
    expect(fake.calls.some((c) => c.status === 500)).toBe(true);
    // Each email on its own request's thread.
    const byAddress = new Map(requests.map((r) => [r.email, r]));
    for (const e of fake.sent) {
      const r = byAddress.get(e.to)!;
      expect(e.subject).toContain(r.reference);
      expect(e.headers?.["In-Reply-To"]).toBe(r.threadId);
      expect(e.text).toContain(`Hello ${r.name},`);
    }
    // Recorded once: a reply per request, every delivery emailed, one sent_emails row each.
    expect(await db.$count(supportMessages, eq(supportMessages.bulkAnswerId, created.id))).toBe(REQUESTS);
    expect(await db.$count(bulkDeliveries, and(eq(bulkDeliveries.bulkAnswerId, created.id), isNull(bulkDeliveries.emailedAt)))).toBe(0);
    expect(await db.$count(sentEmails, eq(sentEmails.kind, "support_reply"))).toBe(REQUESTS);
    const [finished] = await db.select({ status: bulkAnswers.status, sent: bulkAnswers.sent }).from(bulkAnswers).where(eq(bulkAnswers.id, created.id));
    expect(finished).toEqual({ status: "done", sent: REQUESTS });
  }, 180_000);
});
