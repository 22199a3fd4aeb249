// Issue 13, point 4: a reply written against an older view of the thread is
// refused when a newer customer message or another agent's reply arrived;
// nothing is stored, nothing is sent, and the refusal names what arrived.
import { and, count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, outboxEmails, supportMessages, supportRequests } from "@/db/schema";
import { upsertUser } from "@/lib/accounts";
import { uniqueEmail, withTestDb } from "@/test/db";
import { addInternalNote, createContactRequest, getRequestForAgent, replyToRequest } from "./index";

const testDb = withTestDb();
let ip = 0;

async function setUp() {
  const { db } = testDb();
  const agent = (await upsertUser(db, { email: uniqueEmail("stale-agent"), role: "agent", password: "a quiet walk along the river" })).id;
  const other = (await upsertUser(db, { email: uniqueEmail("stale-other"), role: "agent", password: "a quiet walk along the river" })).id;
  const customer = uniqueEmail("stale-customer");
  const made = await createContactRequest(db, { email: customer, name: "Sam", message: "I cannot sign in." }, { ip: `10.9.0.${++ip}` });
  if (!made.ok) throw new Error("no request");
  const [request] = await db.select().from(supportRequests).where(eq(supportRequests.reference, made.reference));
  return { db, agent, other, customer, request };
}

/** What the agent's page had on screen: the newest customer message or reply. */
async function seen(agent: number, requestId: number) {
  const found = await getRequestForAgent(testDb().db, agent, requestId);
  return Math.max(...found!.messages.filter((m) => m.kind !== "note").map((m) => m.id));
}

async function footprint(requestId: number, customer: string) {
  const { db } = testDb();
  const [messages] = await db.select({ n: count() }).from(supportMessages).where(eq(supportMessages.requestId, requestId));
  const [emails] = await db.select({ n: count() }).from(outboxEmails).where(eq(outboxEmails.to, customer));
  const [replies] = await db.select({ n: count() }).from(auditEvents).where(eq(auditEvents.action, "support.replied"));
  const [row] = await db.select({ status: supportRequests.status, assignedTo: supportRequests.assignedTo }).from(supportRequests).where(eq(supportRequests.id, requestId));
  return { messages: messages.n, emails: emails.n, replies: replies.n, ...row };
}

describe("a stale reply", () => {
  it("is refused when the customer wrote again after the page was loaded: nothing stored, nothing sent", async () => {
    const { db, agent, customer, request } = await setUp();
    const onScreen = await seen(agent, request.id);
    await db.insert(supportMessages).values({ requestId: request.id, kind: "customer", channel: "email", fromAddress: customer, body: "Never mind, it works now!" });
    const before = await footprint(request.id, customer);

    const result = await replyToRequest(db, agent, request.id, "Here is a link to reset.", "192.0.2.1", { seenMessageId: onScreen });
    expect(result).toMatchObject({ ok: false, code: "stale" });
    if (result.ok || result.code !== "stale") throw new Error("not stale");
    expect(result.error).toMatch(/Not sent: a new message from the customer arrived/);
    expect(result.newer.map((m) => [m.kind, m.body, m.from])).toEqual([["customer", "Never mind, it works now!", customer]]);
    expect(await footprint(request.id, customer)).toEqual(before);

    // Seen now: the agent decides again, and the reply goes out.
    expect(await replyToRequest(db, agent, request.id, "Glad to hear it.", "192.0.2.1", { seenMessageId: await seen(agent, request.id) })).toMatchObject({ ok: true });
    const after = await footprint(request.id, customer);
    expect(after).toMatchObject({ messages: before.messages + 1, emails: before.emails + 1, status: "waiting" });
  });

  it("is refused when another agent replied first, and names them", async () => {
    const { db, agent, other, customer, request } = await setUp();
    const onScreen = await seen(agent, request.id);
    expect(await replyToRequest(db, other, request.id, "I have this one.", undefined, { seenMessageId: await seen(other, request.id) })).toMatchObject({ ok: true });
    const before = await footprint(request.id, customer);
    const result = await replyToRequest(db, agent, request.id, "Me too!", undefined, { seenMessageId: onScreen });
    expect(result).toMatchObject({ ok: false, code: "stale", newer: [{ kind: "reply", body: "I have this one." }] });
    expect(!result.ok && result.error).toMatch(/a reply by stale-other-/);
    expect(await footprint(request.id, customer)).toEqual(before);
  });

  it("is not refused for an internal note, or when everything newer was seen", async () => {
    const { db, agent, other, customer, request } = await setUp();
    const onScreen = await seen(agent, request.id);
    await addInternalNote(db, other, request.id, "Checked the account.");
    expect(await replyToRequest(db, agent, request.id, "A link is on its way.", undefined, { seenMessageId: onScreen })).toMatchObject({ ok: true });
    const [sent] = await db.select({ n: count() }).from(outboxEmails).where(and(eq(outboxEmails.to, customer)));
    expect(sent.n).toBe(2); // the confirmation and this reply
  });

  it("counts a form that names no message as having seen none", async () => {
    const { db, agent, customer, request } = await setUp();
    const before = await footprint(request.id, customer);
    expect(await replyToRequest(db, agent, request.id, "Blind reply", undefined, { seenMessageId: 0 })).toMatchObject({ ok: false, code: "stale" });
    expect(await footprint(request.id, customer)).toEqual(before);
  });
});
