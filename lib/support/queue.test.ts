// The queue page's data: keyset pages that neither repeat nor skip a request
// while new ones arrive, counts from the counters that match the rows, a
// search count bounded by a cap, and "Take next" handing out the oldest
// unclaimed request of the view.
import { and, eq, or, sql } from "drizzle-orm";
import { describe, expect, it, onTestFinished } from "vitest";
import { auditEvents, supportMessages, supportRequests, users } from "@/db/schema";
import { uniqueEmail, withTestDb } from "@/test/db";
import { newReference } from "./requests";
import { listQueue, queueRows, searchCount, searchTuning, takeNext, type QueueCursor } from "./queue";
import { queueWhere, searchConditions, type QueueQuery } from "./queue-query";

const testDb = withTestDb();

async function agent(role: "agent" | "admin" = "agent") {
  const [row] = await testDb().db.insert(users).values({ email: uniqueEmail(role), role }).returning({ id: users.id });
  return row.id;
}

/** `n` requests, each with a message naming `word`, created `stepMicros` apart from `start` (ties when 0). */
async function requests(n: number, opts: { word: string; start: Date; stepMicros?: number; topic?: "card" | "data" | "other"; status?: "open" | "waiting" }) {
  const { db } = testDb();
  const made = await db
    .insert(supportRequests)
    .values(
      Array.from({ length: n }, (_, i) => ({
        reference: newReference(),
        email: `${opts.word}-${i}@queue.example`,
        name: `Writer ${i}`,
        topic: opts.topic ?? "other",
        status: opts.status ?? "open",
        createdAt: sql`${opts.start.toISOString()}::timestamptz + make_interval(secs => ${i * (opts.stepMicros ?? 1)} / 1e6::float8)` as unknown as Date,
      })),
    )
    .returning({ id: supportRequests.id, reference: supportRequests.reference });
  await db.insert(supportMessages).values(made.map((r) => ({ requestId: r.id, kind: "customer" as const, body: `About ${opts.word} please` })));
  return made;
}

async function walk(actor: number, query: QueueQuery, direction: "forward" | "back", limit: number, start: QueueCursor = {}) {
  const { db } = testDb();
  const seen: number[] = [];
  let cursor = start;
  for (let pages = 0; pages < 100; pages++) {
    const page = await queueRows(db, actor, query, cursor, limit);
    if (direction === "forward") {
      seen.push(...page.rows.map((r) => r.id));
      if (page.next === null) break;
      cursor = { after: page.next };
    } else {
      seen.unshift(...page.rows.map((r) => r.id));
      if (page.previous === null) break;
      cursor = { before: page.previous };
    }
  }
  return seen;
}

describe("queue pages", () => {
  it("walks forward and back by keyset without repeating or skipping, ties and microseconds included", async () => {
    const actor = await agent();
    const start = new Date(Date.UTC(2020, 0, 1));
    // 37 requests created in the same microsecond (ordered by id), then 60 one microsecond apart.
    const tied = await requests(37, { word: "walkers", start, stepMicros: 0 });
    const spaced = await requests(60, { word: "walkers", start: new Date(start.getTime() + 1), stepMicros: 1 });
    const all = [...tied, ...spaced].map((r) => r.id);
    const query: QueueQuery = { filter: "open", q: "walkers" };

    expect(await walk(actor, query, "forward", 10)).toEqual(all);
    const last = await queueRows(testDb().db, actor, query, { after: all[89] }, 10);
    expect(last.rows.map((r) => r.id)).toEqual(all.slice(90));
    expect(last.next).toBeNull();
    expect(await walk(actor, query, "back", 10, { before: last.previous! })).toEqual(all.slice(0, 90));
    // A short stretch before the cursor is shown as the whole first page.
    const first = await queueRows(testDb().db, actor, query, { before: all[3] }, 10);
    expect(first.rows.map((r) => r.id)).toEqual(all.slice(0, 10));
    expect(first.previous).toBeNull();
  });

  it("keeps every page where it was while new requests arrive", async () => {
    const { db } = testDb();
    const actor = await agent();
    const made = await requests(25, { word: "arrivals", start: new Date(Date.UTC(2020, 1, 1)), stepMicros: 1000 });
    const query: QueueQuery = { filter: "open", q: "arrivals" };
    const page1 = await queueRows(db, actor, query, {}, 10);
    await requests(7, { word: "arrivals", start: new Date() });
    const page2 = await queueRows(db, actor, query, { after: page1.next! }, 10);
    expect(page2.rows.map((r) => r.id)).toEqual(made.slice(10, 20).map((r) => r.id));
    expect((await queueRows(db, actor, query, { before: page2.previous! }, 10)).rows).toEqual(page1.rows);
  });

  it.each([
    ["rare words, looked up first", 10_000, 250],
    ["common words, walked on a budget", 0, 250],
    ["common words, past a budget of 1 ms", 0, 1],
  ])("pages a search matched in different ways (address, words, reference) exactly as the selection orders it: %s", async (_, few, budget) => {
    Object.assign(searchTuning, { fewWordMessages: few, walkBudgetMs: budget });
    onTestFinished(() => {
      Object.assign(searchTuning, { fewWordMessages: 10_000, walkBudgetMs: 250 });
    });
    const { db } = testDb();
    const actor = await agent();
    const word = `mixedword${few}x${budget}`;
    const byWord = await requests(9, { word, start: new Date(Date.UTC(2020, 3, 1)), stepMicros: 2 });
    const byAddress = await db
      .insert(supportRequests)
      .values(Array.from({ length: 8 }, (_, i) => ({ reference: newReference(), email: `${word}-${i}@else.example`, name: "M", createdAt: new Date(Date.UTC(2020, 3, 1) + i) })))
      .returning({ id: supportRequests.id });
    const ordered = (
      await db
        .select({ id: supportRequests.id })
        .from(supportRequests)
        .where(queueWhere({ filter: "open", q: word }, actor))
        .orderBy(supportRequests.createdAt, supportRequests.id)
    ).map((r) => r.id);
    expect([...ordered].sort((a, b) => a - b)).toEqual([...byWord, ...byAddress].map((r) => r.id).sort((a, b) => a - b));
    // Each way of running the words branch selects the same requests.
    for (const words of [{}, { asSet: true }, { found: byWord.map((r) => r.id) }]) {
      const selected = await db
        .select({ id: supportRequests.id })
        .from(supportRequests)
        .where(and(eq(supportRequests.status, "open"), or(...searchConditions(word, words))))
        .orderBy(supportRequests.createdAt, supportRequests.id);
      expect(selected.map((r) => r.id)).toEqual(ordered);
    }
    expect(await walk(actor, { filter: "open", q: word }, "forward", 4)).toEqual(ordered);
    expect(await searchCount(db, actor, { filter: "open", q: word }, 16)).toEqual({ count: 16, more: true });
    expect(await searchCount(db, actor, { filter: "open", q: word }, 17)).toEqual({ count: 17, more: false });
    expect((await listQueue(db, actor, { filter: "open", q: word }, {}, 5)).matching).toEqual({ count: 17, more: false });
    // A reference finds its request (and the address branch runs beside it).
    const [one] = await db.select({ reference: supportRequests.reference }).from(supportRequests).where(eq(supportRequests.id, byWord[3].id));
    expect((await queueRows(db, actor, { filter: "open", q: one.reference })).rows.map((r) => r.id)).toEqual([byWord[3].id]);
  });

  it("counts each filter and topic from the counters, as many as the rows", async () => {
    const { db } = testDb();
    const actor = await agent();
    const other = await agent();
    await requests(4, { word: "counted", start: new Date(), topic: "card" });
    await requests(3, { word: "counted", start: new Date(), topic: "data", status: "waiting" });
    const mine = await requests(2, { word: "counted", start: new Date(), topic: "card" });
    await db.update(supportRequests).set({ assignedTo: actor }).where(eq(supportRequests.id, mine[0].id));
    await db.update(supportRequests).set({ assignedTo: other }).where(eq(supportRequests.id, mine[1].id));

    const full = async (where: ReturnType<typeof and>) =>
      Number((await db.select({ n: sql<number>`count(*)` }).from(supportRequests).where(where))[0].n);
    const view = await listQueue(db, actor, { filter: "open", topic: "card" });
    expect(view.counts).toEqual({
      open: await full(and(eq(supportRequests.status, "open"), eq(supportRequests.topic, "card"))),
      waiting: await full(and(eq(supportRequests.status, "waiting"), eq(supportRequests.topic, "card"))),
      resolved: 0,
      mine: 1,
    });
    expect(view.topicCounts.card).toBe(view.counts.open);
    expect(view.topicCounts.all).toBe(await full(eq(supportRequests.status, "open")));
    expect(view.topicCounts.data).toBe(0);
    expect(view.matching).toEqual({ count: view.counts.open, more: false });
    const waiting = await listQueue(db, actor, "waiting");
    expect(waiting.topicCounts.data).toBe(3);
    expect(waiting.rows.length).toBe(waiting.matching.count);
    expect((await listQueue(db, actor, "mine")).rows.map((r) => r.id)).toEqual([mine[0].id]);
  });

  it("counts a search exactly up to the cap, then says there are more", async () => {
    const { db } = testDb();
    const actor = await agent();
    await requests(12, { word: "capped", start: new Date() });
    expect(await searchCount(db, actor, { filter: "open", q: "capped" }, 20)).toEqual({ count: 12, more: false });
    expect(await searchCount(db, actor, { filter: "open", q: "capped" }, 12)).toEqual({ count: 12, more: false });
    expect(await searchCount(db, actor, { filter: "open", q: "capped" }, 5)).toEqual({ count: 5, more: true });
    const view = await listQueue(db, actor, { filter: "open", q: "capped" });
    expect(view.matching).toEqual({ count: 12, more: false });
  });
});

describe("Take next", () => {
  it("assigns the oldest unclaimed request of the view, audited, until none is left", async () => {
    const { db } = testDb();
    const actor = await agent();
    const other = await agent();
    const made = await requests(4, { word: "takers", start: new Date(Date.UTC(2021, 0, 1)), stepMicros: 1000, topic: "card" });
    await requests(1, { word: "takers", start: new Date(Date.UTC(2020, 0, 1)), topic: "data" });
    await db.update(supportRequests).set({ assignedTo: other }).where(eq(supportRequests.id, made[0].id));
    const view: QueueQuery = { filter: "open", topic: "card", q: "takers" };

    const first = await takeNext(db, actor, view, "192.0.2.9");
    expect(first).toEqual({ ok: true, requestId: made[1].id, reference: made[1].reference });
    // "mine" hands out open requests too.
    expect(await takeNext(db, actor, { ...view, filter: "mine" })).toMatchObject({ requestId: made[2].id });
    expect(await takeNext(db, other, view)).toMatchObject({ requestId: made[3].id });
    expect(await takeNext(db, actor, view)).toEqual({ ok: false, code: "none-left" });
    expect(await takeNext(db, actor, { ...view, filter: "waiting" })).toEqual({ ok: false, code: "none-left" });

    const [row] = await db.select().from(supportRequests).where(eq(supportRequests.id, made[1].id));
    expect(row.assignedTo).toBe(actor);
    const [event] = await db.select().from(auditEvents).where(and(eq(auditEvents.actorId, actor), eq(auditEvents.action, "support.claimed")));
    expect(event).toMatchObject({ ip: "192.0.2.9", detail: { requestId: made[1].id, reference: made[1].reference, via: "take-next" } });
  });
});
