// Topics, merges and presence on a request: a topic change is audited; a
// merge keeps the messages in time order on the survivor, moves the thread's
// Message-IDs, repoints earlier merges and takes the request out of every
// queue; email replies to either reference land on the survivor (alone
// and in a round); email gets a topic from the rules at filing; a request
// page names the other agents who opened it in the last few minutes.
import { randomBytes } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "@/db/client";
import { auditEvents, inboundEvents, supportMessages, supportRequests, supportThreadIds, users } from "@/db/schema";
import { upsertUser } from "@/lib/accounts";
import { readCounters } from "@/lib/campaigns/counters";
import { resetEnvCache } from "@/lib/env";
import { uniqueEmail, withTestDb } from "@/test/db";
import { claimRequest, getRequestForAgent, replyToRequest } from "./index";
import { fileInbound } from "./inbound/file";
import type { ReceivedEmail } from "./inbound/classify";
import { changeTopic, mergeRequests, relatedRequests } from "./organise";
import { presenceText, viewRequest } from "./presence";
import { newReference } from "./requests";
import { newMessageId, replyAddressFor } from "./threading";

const testDb = withTestDb();
const PASSWORD = "a quiet walk along the river";
const SUPPORT = "support@organise.example";

beforeAll(() => {
  Object.assign(process.env, { SUPPORT_EMAIL: SUPPORT, EMAIL_FROM: "Desk <security@organise.example>" });
  resetEnvCache();
});
afterAll(() => {
  delete process.env.SUPPORT_EMAIL;
  delete process.env.EMAIL_FROM;
  resetEnvCache();
});

async function agent(role: "agent" | "admin" = "agent") {
  return (await upsertUser(testDb().db, { email: uniqueEmail(`org-${role}`), role, password: PASSWORD })).id;
}

/** A request from `email` with messages at the given minutes past a fixed hour. */
async function request(email: string, minutes: number[], status: "open" | "waiting" | "resolved" = "open") {
  const { db } = testDb();
  const base = Date.UTC(2024, 5, 1, 9);
  const [row] = await db
    .insert(supportRequests)
    .values({ reference: newReference(), email, name: "Kim", status, createdAt: new Date(base + minutes[0] * 60_000) })
    .returning({ id: supportRequests.id, reference: supportRequests.reference });
  await db.insert(supportMessages).values(
    minutes.map((m) => ({ requestId: row.id, kind: "customer" as const, body: `${row.reference} at ${m}`, createdAt: new Date(base + m * 60_000) })),
  );
  const ours = newMessageId();
  await db.insert(supportThreadIds).values({ messageId: ours, requestId: row.id, ours: true });
  return { ...row, ours };
}

const thread = async (actor: number, id: number) => (await getRequestForAgent(testDb().db, actor, id))!;

describe("topics", () => {
  it("an agent changes a request's topic, audited; bad topics and merged requests are refused", async () => {
    const { db } = testDb();
    const actor = await agent();
    const r = await request(uniqueEmail("topic"), [0]);
    expect(await changeTopic(db, actor, r.id, "card", "192.0.2.4")).toMatchObject({ ok: true });
    expect((await thread(actor, r.id)).request.topic).toBe("card");
    expect(await changeTopic(db, actor, r.id, "card")).toMatchObject({ ok: true, message: expect.stringContaining("already") });
    expect(await changeTopic(db, actor, r.id, "nonsense")).toMatchObject({ ok: false, code: "invalid" });
    expect(await changeTopic(db, actor, 999_999, "data")).toMatchObject({ ok: false, code: "missing" });
    const events = await db.select().from(auditEvents).where(and(eq(auditEvents.action, "support.topic_changed"), eq(auditEvents.actorId, actor)));
    expect(events.map((e) => e.detail)).toEqual([{ requestId: r.id, reference: r.reference, from: "other", to: "card" }]);
  });
});

describe("merging", () => {
  it("keeps the messages in time order, moves thread ids, repoints earlier merges and leaves the queues", async () => {
    const { db } = testDb();
    const actor = await agent();
    const email = uniqueEmail("dup");
    const a = await request(email, [0, 20], "resolved");
    const b = await request(email, [10, 30]);
    const c = await request(email, [5]);
    const before = await readCounters(db, ["queue:open", "queue:resolved"]);

    // c into b, then b into a: c must end up pointing at a.
    expect(await mergeRequests(db, actor, { mergedId: c.id, survivorId: b.id })).toMatchObject({ ok: true, requestId: b.id });
    expect(await mergeRequests(db, actor, { mergedId: b.id, survivorId: a.id }, "192.0.2.5")).toMatchObject({ ok: true, requestId: a.id });

    const survivor = await thread(actor, a.id);
    expect(survivor.messages.filter((m) => m.kind === "customer").map((m) => m.body)).toEqual(
      [`${a.reference} at 0`, `${c.reference} at 5`, `${b.reference} at 10`, `${a.reference} at 20`, `${b.reference} at 30`],
    );
    // Each merge leaves a note; c's, made on b, came along with b's messages.
    expect(survivor.messages.filter((m) => m.kind === "note").map((m) => m.body)).toEqual([
      expect.stringContaining(`${c.reference} was merged into this request`),
      expect.stringContaining(`${b.reference} was merged into this request`),
    ]);
    // The survivor takes the livelier status: b was open, a resolved.
    expect(survivor.request).toMatchObject({ status: "open", mergedInto: null });
    for (const gone of [b, c]) {
      expect((await thread(actor, gone.id)).request).toMatchObject({ status: "merged", mergedInto: a.id, mergedIntoReference: a.reference });
    }
    const ids = await db.select({ messageId: supportThreadIds.messageId, requestId: supportThreadIds.requestId }).from(supportThreadIds).where(sql`${supportThreadIds.messageId} in (${a.ours}, ${b.ours}, ${c.ours})`);
    expect(ids.every((r) => r.requestId === a.id)).toBe(true);
    // Out of every queue: three requests (one resolved, two open) became one open request.
    const after = await readCounters(db, ["queue:open", "queue:resolved"]);
    expect(after["queue:open"] - before["queue:open"]).toBe(-1);
    expect(after["queue:resolved"] - before["queue:resolved"]).toBe(-1);
    const related = await relatedRequests(db, actor, { id: a.id, email });
    expect(related).toMatchObject({ candidates: [], mergedHere: expect.arrayContaining([expect.objectContaining({ id: b.id }), expect.objectContaining({ id: c.id })]) });

    // A merged request takes no reply, claim or second merge; merging into a merged one lands on its survivor.
    expect(await replyToRequest(db, actor, b.id, "Hello", undefined, { seenMessageId: 1e9 })).toMatchObject({ ok: false, code: "merged" });
    expect(await claimRequest(db, actor, b.id)).toMatchObject({ ok: false });
    expect(await mergeRequests(db, actor, { mergedId: b.id, survivorId: a.id })).toMatchObject({ ok: false, code: "merged" });
    const d = await request(email, [40]);
    expect(await mergeRequests(db, actor, { mergedId: d.id, survivorId: c.id })).toMatchObject({ ok: true, requestId: a.id });

    const [event] = await db.select().from(auditEvents).where(and(eq(auditEvents.action, "support.merged"), eq(auditEvents.ip, "192.0.2.5")));
    expect(event).toMatchObject({ actorId: actor, detail: { requestId: a.id, reference: a.reference, mergedId: b.id, mergedReference: b.reference } });
  });

  it("refuses another customer's request, the same request, and unknown ones, changing nothing", async () => {
    const { db } = testDb();
    const actor = await agent();
    const a = await request(uniqueEmail("one"), [0]);
    const b = await request(uniqueEmail("two"), [1]);
    expect(await mergeRequests(db, actor, { mergedId: b.id, survivorId: a.id })).toMatchObject({ ok: false, code: "other-customer" });
    expect(await mergeRequests(db, actor, { mergedId: a.id, survivorId: a.id })).toMatchObject({ ok: false, code: "same" });
    expect(await mergeRequests(db, actor, { mergedId: a.id, survivorId: 999_999 })).toMatchObject({ ok: false, code: "missing" });
    const rows = await db.select({ status: supportRequests.status }).from(supportRequests).where(sql`${supportRequests.id} in (${a.id}, ${b.id})`);
    expect(rows.map((r) => r.status)).toEqual(["open", "open"]);
    expect((await db.select().from(supportMessages).where(eq(supportMessages.requestId, a.id))).length).toBe(1);
  });
});

describe("email after a merge, and topics from the rules", () => {
  let event = 0;
  async function received(email: Partial<ReceivedEmail> & { from: string; to: string[] }) {
    const { db } = testDb();
    const id = `email-${randomBytes(6).toString("hex")}`;
    const [row] = await db
      .insert(inboundEvents)
      .values({ svixId: `msg_${id}`, emailId: id, payload: {} })
      .returning({ id: inboundEvents.id });
    event++;
    const message = {
      object: "email",
      id,
      created_at: new Date().toISOString(),
      subject: "Re: your request",
      text: "Thanks, one more thing.",
      html: null,
      headers: {},
      message_id: `<m${event}.${id}@customer.example>`,
      bcc: null,
      cc: null,
      reply_to: null,
      attachments: [],
      ...email,
    } as unknown as ReceivedEmail;
    return { eventId: row.id, email: message };
  }
  const messagesOf = async (requestId: number) =>
    testDb().db.select({ body: supportMessages.body }).from(supportMessages).where(eq(supportMessages.requestId, requestId)).orderBy(asc(supportMessages.id));

  it("files replies to the merged request's reference or Message-ID on the survivor, alone and in a round", async () => {
    const { db } = testDb();
    const actor = await agent();
    const email = uniqueEmail("threaded");
    const a = await request(email, [0]);
    const b = await request(email, [1]);
    await mergeRequests(db, actor, { mergedId: b.id, survivorId: a.id });

    const byToken = await received({ from: email, to: [replyAddressFor(b.reference)], text: "by token, one" });
    const [one] = await fileInbound(db, [byToken]);
    expect([one.outcome, Number(one.requestId)]).toEqual(["message", a.id]);
    const batch = [
      await received({ from: email, to: [replyAddressFor(b.reference)], text: "by token, batch" }),
      await received({ from: email, to: [SUPPORT], headers: { "In-Reply-To": b.ours }, text: "by thread id, batch" }),
    ];
    expect((await fileInbound(db, batch)).map((f) => [f.outcome, Number(f.requestId)])).toEqual([
      ["message", a.id],
      ["message", a.id],
    ]);
    expect((await messagesOf(a.id)).map((m) => m.body)).toEqual(expect.arrayContaining(["by token, one", "by token, batch", "by thread id, batch"]));
    expect(await messagesOf(b.id)).toEqual([]);
  });

  it("gives a new email request its topic from the rules", async () => {
    const { db } = testDb();
    const phishing = await received({ from: uniqueEmail("rules"), to: [SUPPORT], subject: "Is this a scam?", text: "Got a strange mail." });
    const card = await received({ from: uniqueEmail("rules"), to: [SUPPORT], subject: "Hello", text: "Is my card safe?" });
    const [single] = await fileInbound(db, [phishing]);
    const [batched] = await fileInbound(db, [card]);
    const topicOf = async (id: number | null) => (await db.select({ topic: supportRequests.topic }).from(supportRequests).where(eq(supportRequests.id, Number(id))))[0].topic;
    expect(await topicOf(single.requestId)).toBe("genuine");
    expect(await topicOf(batched.requestId)).toBe("card");
  });
});

describe("presence", () => {
  it("names other agents who opened the request in the last few minutes, and writes at most every 30 s", async () => {
    const { db } = testDb();
    const [me, colleague, earlier] = [await agent(), await agent(), await agent()];
    const r = await request(uniqueEmail("seen"), [0]);
    expect(await viewRequest(db, me, r.id)).toEqual([]);
    await viewRequest(db, colleague, r.id);
    await viewRequest(db, earlier, r.id);
    await db.execute(sql`update support_request_views set seen_at = now() - interval '3 minutes' where agent_id = ${earlier}`);
    const [colleagueEmail, earlierEmail] = await Promise.all(
      [colleague, earlier].map(async (id) => (await db.select({ email: users.email }).from(users).where(eq(users.id, id)))[0].email),
    );
    const seen = await viewRequest(db, me, r.id);
    expect(seen).toEqual([
      { email: colleagueEmail, minutesAgo: 0 },
      { email: earlierEmail, minutesAgo: 3 },
    ]);
    expect(presenceText(seen)).toBe(`Also open: ${colleagueEmail}, just now; ${earlierEmail}, 3 minutes ago`);

    // Older than the window: gone. A second view within 30 s writes nothing.
    await db.execute(sql`update support_request_views set seen_at = now() - interval '6 minutes' where agent_id = ${earlier}`);
    expect((await viewRequest(db, me, r.id)).map((v) => v.email)).toEqual([colleagueEmail]);
    const at = async () => rowsOf<{ at: string }>(await db.execute(sql`select seen_at::text as at from support_request_views where agent_id = ${colleague} and request_id = ${r.id}`))[0].at;
    const first = await at();
    await viewRequest(db, colleague, r.id);
    expect(await at()).toBe(first);
    await db.execute(sql`update support_request_views set seen_at = now() - interval '31 seconds' where agent_id = ${colleague}`);
    const aged = await at();
    await viewRequest(db, colleague, r.id);
    expect(await at()).not.toBe(aged);
  });
});
