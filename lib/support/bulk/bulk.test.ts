// Bulk answers end to end through lib/ (PGlite, and PostgreSQL when
// DATABASE_URL is set): one email per customer on its own thread, the reply
// recorded and audited, and never twice — not on a double submission, a
// resumed run, or two agents' overlapping jobs; stale requests left out.
import { randomUUID } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rowsOf } from "@/db/client";
import { auditEvents, bulkAnswerTargets, bulkAnswers, bulkDeliveries, outboxEmails, supportMessages, supportRequests } from "@/db/schema";
import { upsertUser } from "@/lib/accounts";
import { customerWritesAgain, insertRequests, type FixtureRequest } from "@/test/desk-fixtures";
import { uniqueEmail, withTestDb } from "@/test/db";
import { createSavedReply, archiveSavedReply } from "../saved-reply-store";
import { replyAddressFor } from "../threading";
import { bulkAnswerView, createBulkAnswer, previewSelection, runBulkAnswer, type BulkSelection } from "./index";

const testDb = withTestDb();

async function staff(role: "agent" | "admin" = "agent") {
  return (await upsertUser(testDb().db, { email: uniqueEmail(role), role, password: "a quiet walk along the river" })).id;
}

let replies = 0;
async function savedReply(admin: number, body = "Hello {{name}},\n\nYour card is **safe**. See [the notice](/notice).\n\nAbout {{reference}}.") {
  const result = await createSavedReply(testDb().db, admin, { title: `Answer ${++replies} ${randomUUID().slice(0, 6)}`, body });
  if (!result.ok) throw new Error(result.error);
  return result.id;
}

const ids = (requests: FixtureRequest[]): BulkSelection => ({ kind: "ids", ids: requests.map((r) => r.id) });

async function confirm(agent: number, reply: number, selection: BulkSelection, extra: { markResolved?: boolean; clientKey?: string } = {}) {
  const { db } = testDb();
  const preview = await previewSelection(db, agent, selection);
  return createBulkAnswer(db, agent, {
    clientKey: extra.clientKey ?? randomUUID(),
    savedReplyId: reply,
    markResolved: extra.markResolved ?? false,
    asOf: preview.asOf,
    confirmed: preview.count,
    selection,
  });
}

async function jobId(result: Awaited<ReturnType<typeof createBulkAnswer>>): Promise<number> {
  if (!result.ok) throw new Error(`${result.code}: ${result.error}`);
  return result.id;
}

async function emailsTo(addresses: string[]) {
  return testDb().db.select().from(outboxEmails).where(inArray(outboxEmails.to, addresses));
}

function perAddress(rows: { to: string }[]) {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.to, (counts.get(r.to) ?? 0) + 1);
  return counts;
}

describe("a bulk answer", () => {
  it("emails each customer once on their own thread, records the reply and audits the agent", async () => {
    const { db } = testDb();
    const [admin, agent] = [await staff("admin"), await staff()];
    const reply = await savedReply(admin);
    const requests = await insertRequests(db, 23);
    const id = await jobId(await confirm(agent, reply, ids(requests)));
    expect((await runBulkAnswer(db, id, { batchSize: 5 })).state).toBe("done");

    const sent = await emailsTo(requests.map((r) => r.email));
    expect(sent).toHaveLength(23);
    for (const r of requests) {
      const [email] = sent.filter((e) => e.to === r.email);
      expect(email.subject).toContain(r.reference);
      expect(email.text).toContain(`Hello ${r.name},`);
      expect(email.text).toContain(`About ${r.reference}.`);
      expect(email.html).toContain('href="http://localhost:3000/notice"');
      expect(email.headers?.["In-Reply-To"]).toBe(r.threadId);
      expect(email.headers?.["Reply-To"]).toBe(replyAddressFor(r.reference));
      expect(email.headers?.["Message-ID"]).toMatch(/^<rd\.[0-9a-f]{24}@/);
    }
    // The reply is on each thread, the request waits on the customer, the audit names the agent.
    const messages = await db
      .select({ requestId: supportMessages.requestId, body: supportMessages.body, authorId: supportMessages.authorId })
      .from(supportMessages)
      .where(eq(supportMessages.bulkAnswerId, id));
    expect(messages).toHaveLength(23);
    expect(messages.every((m) => m.authorId === agent)).toBe(true);
    expect(messages.find((m) => m.requestId === requests[0].id)?.body).toBe(
      `Hello ${requests[0].name},\n\nYour card is safe. See the notice (/notice).\n\nAbout ${requests[0].reference}.`,
    );
    const statuses = await db.select({ status: supportRequests.status }).from(supportRequests).where(inArray(supportRequests.id, requests.map((r) => r.id)));
    expect(new Set(statuses.map((s) => s.status))).toEqual(new Set(["waiting"]));
    const audits = await db
      .select({ subjectId: auditEvents.subjectId, detail: auditEvents.detail })
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "support.bulk_replied"), eq(auditEvents.actorId, agent)));
    expect(audits).toHaveLength(23);
    const finished = await db.select().from(auditEvents).where(and(eq(auditEvents.action, "support.bulk_answer_finished"), eq(auditEvents.actorId, agent)));
    expect(finished).toHaveLength(1);
    // The Message-ID we sent joins the thread (a reply to it files on the request).
    const [thread] = rowsOf<{ n: number | string }>(
      await db.execute(sql`select count(*) as n from support_thread_ids where request_id = ${requests[0].id} and ours`),
    );
    expect(Number(thread.n)).toBe(2);

    const view = await bulkAnswerView(db, agent, id);
    expect(view).toMatchObject({ status: "done", total: 23, processed: 23, sent: 23, emailed: 23, leftOut: [] });
    expect(view?.outcomes).toEqual({ stale: 0, duplicate: 0, closed: 0 });
  });

  it("threads to the newest Message-ID on the request, whatever characters it holds", async () => {
    const { db } = testDb();
    const [admin, agent] = [await staff("admin"), await staff()];
    const [request] = await insertRequests(db, 1);
    const odd = `<a,"b"{c}\\d.${randomUUID()}@mail.example.net>`;
    await db.execute(sql`insert into support_thread_ids (message_id, request_id, ours, created_at) values (${odd}, ${request.id}, false, now() + interval '1 second')`);
    const id = await jobId(await confirm(agent, await savedReply(admin), ids([request])));
    await runBulkAnswer(db, id);
    const [email] = await emailsTo([request.email]);
    expect(email.headers?.["In-Reply-To"]).toBe(odd);
    expect(email.headers?.References).toBe(`${request.threadId} ${odd}`);
  });

  it("marks the requests resolved when asked", async () => {
    const { db } = testDb();
    const [admin, agent] = [await staff("admin"), await staff()];
    const requests = await insertRequests(db, 4);
    const id = await jobId(await confirm(agent, await savedReply(admin), ids(requests), { markResolved: true }));
    await runBulkAnswer(db, id);
    const rows = await db
      .select({ status: supportRequests.status, resolvedAt: supportRequests.resolvedAt })
      .from(supportRequests)
      .where(inArray(supportRequests.id, requests.map((r) => r.id)));
    expect(rows.every((r) => r.status === "resolved" && r.resolvedAt instanceof Date)).toBe(true);
  });

  it("finds the same job for a double submission, at once or later; another agent cannot reuse the key", async () => {
    const { db } = testDb();
    const [admin, agent, other] = [await staff("admin"), await staff(), await staff()];
    const reply = await savedReply(admin);
    const requests = await insertRequests(db, 6);
    const clientKey = randomUUID();
    const [a, b] = await Promise.all([
      confirm(agent, reply, ids(requests), { clientKey }),
      confirm(agent, reply, ids(requests), { clientKey }),
    ]);
    expect(a.ok && b.ok && a.id === b.id).toBe(true);
    expect([a.ok && a.created, b.ok && b.created].sort()).toEqual([false, true]);
    const id = await jobId(a);
    await runBulkAnswer(db, id);
    const again = await confirm(agent, reply, ids(requests), { clientKey });
    expect(again).toMatchObject({ ok: true, id, created: false });
    expect(await confirm(other, reply, ids(requests), { clientKey })).toMatchObject({ ok: false, code: "key-taken" });
    expect(await db.$count(bulkAnswers, eq(bulkAnswers.clientKey, clientKey))).toBe(1);
    expect(await db.$count(bulkAnswerTargets, eq(bulkAnswerTargets.bulkAnswerId, id))).toBe(6);
    expect([...perAddress(await emailsTo(requests.map((r) => r.email))).values()]).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it("leaves out and names a request whose customer wrote after the confirmed moment", async () => {
    const { db } = testDb();
    const [admin, agent] = [await staff("admin"), await staff()];
    const requests = await insertRequests(db, 8);
    const selection = ids(requests);
    // Written before the confirmation page: answered as usual.
    await customerWritesAgain(db, requests[1].id, "Before you looked.");
    const preview = await previewSelection(db, agent, selection);
    // Written after it: the agent has not seen this, so the request is left out.
    await customerWritesAgain(db, requests[5].id, "Actually my card was charged twice.");
    const id = await jobId(
      await createBulkAnswer(db, agent, { clientKey: randomUUID(), savedReplyId: await savedReply(admin), markResolved: true, asOf: preview.asOf, confirmed: preview.count, selection }),
    );
    expect((await runBulkAnswer(db, id, { batchSize: 3 })).state).toBe("done");
    const sent = await emailsTo(requests.map((r) => r.email));
    expect(sent.map((e) => e.to).sort()).toEqual(requests.filter((_, i) => i !== 5).map((r) => r.email).sort());
    const [stale] = await db.select({ status: supportRequests.status }).from(supportRequests).where(eq(supportRequests.id, requests[5].id));
    expect(stale.status).toBe("open");
    expect(await db.$count(supportMessages, and(eq(supportMessages.requestId, requests[5].id), eq(supportMessages.kind, "reply")))).toBe(0);
    const view = await bulkAnswerView(db, agent, id);
    expect(view?.outcomes.stale).toBe(1);
    expect(view?.leftOut).toEqual([{ id: requests[5].id, reference: requests[5].reference, email: requests[5].email, outcome: "stale" }]);
    expect(view).toMatchObject({ sent: 7, emailed: 7, total: 8, processed: 8 });
  });

  it("sends each customer the answer once when two agents' selections overlap", async () => {
    const { db } = testDb();
    const [admin, alice, bob] = [await staff("admin"), await staff(), await staff()];
    const reply = await savedReply(admin);
    const requests = await insertRequests(db, 40);
    const first = await jobId(await confirm(alice, reply, ids(requests.slice(0, 25))));
    const second = await jobId(await confirm(bob, reply, ids(requests.slice(15))));
    const results = await Promise.all([runBulkAnswer(db, first, { batchSize: 4 }), runBulkAnswer(db, second, { batchSize: 6 })]);
    expect(results.map((r) => r.state)).toEqual(["done", "done"]);
    const counts = perAddress(await emailsTo(requests.map((r) => r.email)));
    expect(counts.size).toBe(40);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    const [a, b] = [await bulkAnswerView(db, alice, first), await bulkAnswerView(db, bob, second)];
    expect(a!.sent + b!.sent).toBe(40);
    expect(a!.outcomes.duplicate + b!.outcomes.duplicate).toBe(10);
    expect(await db.$count(supportMessages, and(inArray(supportMessages.requestId, requests.map((r) => r.id)), eq(supportMessages.kind, "reply")))).toBe(40);
    // A different saved reply is a different answer: it is sent.
    const other = await jobId(await confirm(bob, await savedReply(admin), ids(requests.slice(0, 2))));
    await runBulkAnswer(db, other);
    expect((await bulkAnswerView(db, bob, other))?.sent).toBe(2);
  });

  it("resumes after a stop between a batch's commit and its emails, and sends nothing twice", async () => {
    const { db } = testDb();
    const [admin, agent] = [await staff("admin"), await staff()];
    const requests = await insertRequests(db, 30);
    const id = await jobId(await confirm(agent, await savedReply(admin), ids(requests)));
    await expect(
      runBulkAnswer(db, id, {
        batchSize: 7,
        afterBatch: ({ number }) => {
          if (number === 3) throw new Error("the runner died");
        },
      }),
    ).rejects.toThrow("the runner died");
    // Batches 1-2 emailed; batch 3 committed (replies recorded) but not emailed.
    expect(await emailsTo(requests.map((r) => r.email))).toHaveLength(14);
    expect(await db.$count(bulkDeliveries, eq(bulkDeliveries.bulkAnswerId, id))).toBe(21);

    expect((await runBulkAnswer(db, id, { batchSize: 7 })).state).toBe("done");
    const counts = perAddress(await emailsTo(requests.map((r) => r.email)));
    expect(counts.size).toBe(30);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(await db.$count(supportMessages, eq(supportMessages.bulkAnswerId, id))).toBe(30);

    // A crash between the send and its bookkeeping: the same batch again is stored once (idempotency key).
    await db.update(bulkDeliveries).set({ emailedAt: null }).where(and(eq(bulkDeliveries.bulkAnswerId, id), inArray(bulkDeliveries.requestId, requests.slice(0, 7).map((r) => r.id))));
    await db.update(bulkAnswers).set({ status: "running" }).where(eq(bulkAnswers.id, id));
    expect((await runBulkAnswer(db, id, { batchSize: 7 })).state).toBe("done");
    expect(await emailsTo(requests.map((r) => r.email))).toHaveLength(30);
  });

  it("keeps a second runner off while the first holds the lease", async () => {
    const { db } = testDb();
    const [admin, agent] = [await staff("admin"), await staff()];
    const requests = await insertRequests(db, 10);
    const id = await jobId(await confirm(agent, await savedReply(admin), ids(requests)));
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let reached!: () => void;
    const atBatch = new Promise<void>((r) => (reached = r));
    const first = runBulkAnswer(db, id, {
      batchSize: 5,
      afterBatch: async ({ number }) => {
        if (number === 1) {
          reached();
          await held;
        }
      },
    });
    await atBatch;
    expect((await runBulkAnswer(db, id)).state).toBe("busy");
    release();
    expect((await first).state).toBe("done");
    expect((await runBulkAnswer(db, id)).state).toBe("finished");
    expect(await emailsTo(requests.map((r) => r.email))).toHaveLength(10);
  });

  it("answers all requests matching a view across every page, never more than confirmed", async () => {
    const { db } = testDb();
    const [admin, agent] = [await staff("admin"), await staff()];
    const word = `zebra${randomUUID().slice(0, 6)}`;
    const matching = await insertRequests(db, 120, { topic: "card", message: (i) => `My card ${word} question ${i}` });
    await insertRequests(db, 5, { topic: "other", message: () => `Unrelated ${word}` });
    const selection: BulkSelection = { kind: "query", query: { filter: "open", topic: "card", q: word } };
    const preview = await previewSelection(db, agent, selection);
    expect(preview.count).toBe(120);
    const reply = await savedReply(admin);
    const base = { savedReplyId: reply, markResolved: false, asOf: preview.asOf, selection };
    const grew = await createBulkAnswer(db, agent, { ...base, clientKey: randomUUID(), confirmed: 119 });
    expect(grew).toMatchObject({ ok: false, code: "grew", count: 120 });
    const id = await jobId(await createBulkAnswer(db, agent, { ...base, clientKey: randomUUID(), confirmed: 120 }));
    expect(await db.$count(bulkAnswers)).toBeGreaterThan(0);
    expect((await runBulkAnswer(db, id)).state).toBe("done");
    expect(await emailsTo(matching.map((r) => r.email))).toHaveLength(120);
    // A request opened after the confirmation page was not on the agent's screen.
    const late = await insertRequests(db, 1, { topic: "card", message: () => `Late ${word}` });
    // (the 120 answered ones now wait on their customers: they left the open view)
    const again = await createBulkAnswer(db, agent, { ...base, savedReplyId: await savedReply(admin), clientKey: randomUUID(), confirmed: 200 });
    expect(again).toMatchObject({ ok: false, code: "empty" });
    expect(await db.$count(bulkAnswerTargets, eq(bulkAnswerTargets.requestId, late[0].id))).toBe(0);
  });

  it("leaves out a request merged meanwhile", async () => {
    const { db } = testDb();
    const [admin, agent] = [await staff("admin"), await staff()];
    const requests = await insertRequests(db, 3);
    const id = await jobId(await confirm(agent, await savedReply(admin), ids(requests)));
    await db.update(supportRequests).set({ status: "merged", mergedInto: requests[0].id }).where(eq(supportRequests.id, requests[2].id));
    await runBulkAnswer(db, id);
    const view = await bulkAnswerView(db, agent, id);
    expect(view?.outcomes.closed).toBe(1);
    expect(view?.leftOut.map((l) => l.id)).toEqual([requests[2].id]);
    expect(await emailsTo([requests[2].email])).toHaveLength(0);
  });

  it("refuses bad input and creates nothing", async () => {
    const { db } = testDb();
    const [admin, agent] = [await staff("admin"), await staff()];
    const reply = await savedReply(admin);
    const requests = await insertRequests(db, 2);
    const before = await db.$count(bulkAnswers);
    const good = { clientKey: randomUUID(), savedReplyId: reply, markResolved: false, asOf: 1e9, confirmed: 2, selection: ids(requests) };
    for (const bad of [
      { ...good, clientKey: "not-a-key" },
      { ...good, savedReplyId: "x" },
      { ...good, markResolved: "yes" },
      { ...good, confirmed: 0 },
      { ...good, selection: null },
    ]) {
      expect((await createBulkAnswer(db, agent, bad)).ok, JSON.stringify(bad)).toBe(false);
    }
    expect(await createBulkAnswer(db, agent, { ...good, selection: { kind: "ids", ids: [987654321] } })).toMatchObject({ code: "empty" });
    const archived = await savedReply(admin);
    await archiveSavedReply(db, admin, archived);
    expect(await createBulkAnswer(db, agent, { ...good, savedReplyId: archived })).toMatchObject({ code: "no-reply" });
    expect(await db.$count(bulkAnswers)).toBe(before);
    const customer = (await upsertUser(db, { email: uniqueEmail("customer"), role: "customer" })).id;
    await expect(createBulkAnswer(db, customer, good)).rejects.toThrow();
    expect(await db.$count(bulkAnswers)).toBe(before);
  });
});
