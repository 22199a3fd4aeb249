import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { auditEvents, outboxEmails, resetTokens, sentEmails, supportMessages, supportRequests, users } from "@/db/schema";
import { upsertUser } from "@/lib/accounts";
import { AuthorizationError } from "@/lib/auth/guards";
import { resetEnvCache } from "@/lib/env";
import { listMailbox } from "@/lib/email/mailbox";
import { RateLimitedError } from "@/lib/rate-limit";
import { uniqueEmail, withTestDb } from "@/test/db";
import {
  addInternalNote,
  claimRequest,
  createContactRequest,
  customerOverview,
  customerVisibleThread,
  getRequestForAgent,
  listQueue,
  releaseRequest,
  replyToRequest,
  resolveRequest,
  sendResetLinkFromAgent,
  changeTopic,
  findCustomers,
  mergeRequests,
  queueCounts,
  queueRows,
  relatedRequests,
  searchCount,
  takeNext,
  viewRequest,
} from "./index";
import { bulkAnswerView, createBulkAnswer, previewSelection, recentBulkAnswers, retryBulkAnswer } from "./bulk";
import { savedRepliesForRequest } from "./saved-reply-store";

const testDb = withTestDb();
let ipCounter = 0;
const freshIp = () => `10.0.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;

async function staff(role: "agent" | "admin" = "agent") {
  const { db } = testDb();
  return (await upsertUser(db, { email: uniqueEmail(role), role, password: "a quiet walk along the river" })).id;
}

async function newRequest(email = uniqueEmail("writer"), message = "I cannot sign in since the reset.") {
  const { db } = testDb();
  const result = await createContactRequest(db, { email, name: "Pat Writer", message }, { ip: freshIp() });
  if (!result.ok) throw new Error(JSON.stringify(result.fieldErrors));
  const [row] = await db.select().from(supportRequests).where(eq(supportRequests.reference, result.reference));
  return { ...row, reference: result.reference };
}

afterEach(() => {
  delete process.env.RATE_LIMIT_CONTACT_PER_ADDRESS;
  delete process.env.RATE_LIMIT_CONTACT_PER_IP;
  resetEnvCache();
});

describe("the contact form", () => {
  it("answers the same for an address with and without an account, and confirms by email", async () => {
    const { db } = testDb();
    const known = uniqueEmail("known");
    const customer = await upsertUser(db, { email: known, role: "customer" });
    const unknown = uniqueEmail("unknown");
    const a = await createContactRequest(db, { email: known, name: "A", message: "Help" }, { ip: freshIp() });
    const b = await createContactRequest(db, { email: unknown, name: "B", message: "Help" }, { ip: freshIp() });
    expect(Object.keys(a)).toEqual(Object.keys(b));
    expect(a.ok && a.reference).toMatch(/^RD-[0-9A-HJKMNP-TV-Z]{8}$/);
    expect(b.ok && b.reference).toMatch(/^RD-[0-9A-HJKMNP-TV-Z]{8}$/);
    for (const to of [known, unknown]) {
      const [mail] = await listMailbox(db, to);
      expect(mail.subject).toMatch(/^We received your message \(RD-/);
      expect(mail.text).not.toContain("Help");
    }
    // The known address's request is linked to the account, for the agents.
    const [linked] = await db.select().from(supportRequests).where(eq(supportRequests.email, known));
    expect(linked.userId).toBe(customer.id);
  });

  it("refuses bad input with field errors and stores nothing", async () => {
    const { db } = testDb();
    const before = (await db.select({ id: supportRequests.id }).from(supportRequests)).length;
    const result = await createContactRequest(
      db,
      { email: "not an email", name: "Bad\u0000Name", message: "x".repeat(5001) },
      { ip: freshIp() },
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.fieldErrors).sort()).toEqual(["email", "message", "name"]);
    const wrongTypes = await createContactRequest(db, { email: 5, name: [], message: {} }, { ip: freshIp() });
    expect(wrongTypes.ok).toBe(false);
    expect((await db.select({ id: supportRequests.id }).from(supportRequests)).length).toBe(before);
  });

  it("is rate-limited per address and per IP", async () => {
    const { db } = testDb();
    process.env.RATE_LIMIT_CONTACT_PER_ADDRESS = "2";
    process.env.RATE_LIMIT_CONTACT_PER_IP = "3";
    resetEnvCache();
    const email = uniqueEmail("limited");
    await createContactRequest(db, { email, name: "N", message: "1" }, { ip: freshIp() });
    await createContactRequest(db, { email, name: "N", message: "2" }, { ip: freshIp() });
    await expect(createContactRequest(db, { email, name: "N", message: "3" }, { ip: freshIp() })).rejects.toBeInstanceOf(
      RateLimitedError,
    );
    const ip = freshIp();
    for (let i = 0; i < 3; i++) await createContactRequest(db, { email: uniqueEmail(), name: "N", message: "m" }, { ip });
    await expect(createContactRequest(db, { email: uniqueEmail(), name: "N", message: "m" }, { ip })).rejects.toBeInstanceOf(
      RateLimitedError,
    );
    expect((await db.select().from(supportRequests).where(eq(supportRequests.email, email))).length).toBe(2);
  });

  it("counts the address first: one sender writing again and again does not use up a shared IP", async () => {
    const { db } = testDb();
    process.env.RATE_LIMIT_CONTACT_PER_ADDRESS = "2";
    process.env.RATE_LIMIT_CONTACT_PER_IP = "3";
    resetEnvCache();
    const ip = freshIp();
    const impatient = uniqueEmail("impatient");
    for (let i = 0; i < 2; i++) await createContactRequest(db, { email: impatient, name: "N", message: `${i}` }, { ip });
    for (let i = 0; i < 5; i++) {
      await expect(createContactRequest(db, { email: impatient, name: "N", message: "again" }, { ip })).rejects.toMatchObject({
        policy: "contact:address",
      });
    }
    // The refused ones were not counted against the IP: one more sender still gets through.
    await expect(createContactRequest(db, { email: uniqueEmail(), name: "N", message: "m" }, { ip })).resolves.toMatchObject({ ok: true });
    await expect(createContactRequest(db, { email: uniqueEmail(), name: "N", message: "m" }, { ip })).rejects.toMatchObject({
      policy: "contact:ip",
    });
  });
});

describe("authorisation", () => {
  it("refuses customers, unknown ids and disabled or expired agents on every desk function", async () => {
    const { db } = testDb();
    const request = await newRequest();
    const customer = (await upsertUser(db, { email: uniqueEmail(), role: "customer", password: "a quiet walk along the river" })).id;
    const disabled = await staff();
    await db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, disabled));
    const expired = await staff();
    await db.update(users).set({ passwordExpiredAt: new Date() }).where(eq(users.id, expired));
    for (const actor of [customer, disabled, expired, 999_999_999]) {
      const calls = [
        () => listQueue(db, actor, "open"),
        () => getRequestForAgent(db, actor, request.id),
        () => claimRequest(db, actor, request.id),
        () => releaseRequest(db, actor, request.id),
        () => replyToRequest(db, actor, request.id, "hello"),
        () => addInternalNote(db, actor, request.id, "note"),
        () => resolveRequest(db, actor, request.id),
        () => customerOverview(db, actor, customer),
        () => sendResetLinkFromAgent(db, actor, customer),
        // The desk at volume (issue 13): every function behind its pages and actions.
        () => queueRows(db, actor, { filter: "open", q: "hello" }),
        () => queueCounts(db, actor, "open"),
        () => searchCount(db, actor, { filter: "open", q: "hello" }),
        () => takeNext(db, actor, { filter: "open" }),
        () => findCustomers(db, actor, request.email),
        () => viewRequest(db, actor, request.id),
        () => relatedRequests(db, actor, { id: request.id, email: request.email }),
        () => changeTopic(db, actor, request.id, "card"),
        () => mergeRequests(db, actor, { mergedId: request.id, survivorId: request.id }),
        () => savedRepliesForRequest(db, actor, { topic: "card" }),
        () => previewSelection(db, actor, { kind: "ids", ids: [request.id] }),
        () => createBulkAnswer(db, actor, { clientKey: "k", savedReplyId: 1, markResolved: false, asOf: Date.now(), confirmed: 1, selection: { kind: "ids", ids: [request.id] } }),
        () => recentBulkAnswers(db, actor),
        () => bulkAnswerView(db, actor, 1),
        () => retryBulkAnswer(db, actor, 1),
      ];
      for (const call of calls) {
        await expect(call()).rejects.toBeInstanceOf(AuthorizationError);
      }
    }
    const [after] = await db.select().from(supportRequests).where(eq(supportRequests.id, request.id));
    expect(after).toMatchObject({ status: "open", assignedTo: null });
    expect((await db.select().from(supportMessages).where(eq(supportMessages.requestId, request.id))).length).toBe(1);
  });

  it("lets agents open customers only; admins any account", async () => {
    const { db } = testDb();
    const agent = await staff();
    const admin = await staff("admin");
    const otherAgentEmail = uniqueEmail("colleague");
    const colleague = (await upsertUser(db, { email: otherAgentEmail, role: "agent" })).id;
    expect(await findCustomers(db, agent, otherAgentEmail)).toMatchObject({ ok: true, exact: null, matches: [] });
    expect(await customerOverview(db, agent, colleague)).toBeNull();
    expect(await sendResetLinkFromAgent(db, agent, colleague)).toMatchObject({ ok: false });
    expect(await findCustomers(db, admin, otherAgentEmail)).toMatchObject({ ok: true, exact: colleague });
  });
});

describe("the queue and the thread", () => {
  it("claims, releases, replies, notes and resolves, each audited with the agent", async () => {
    const { db } = testDb();
    const agent = await staff();
    const other = await staff();
    const request = await newRequest();

    let queue = await listQueue(db, agent, "open");
    expect(queue.rows.map((r) => r.reference)).toContain(request.reference);
    const open = queue.rows.map((r) => r.createdAt.getTime());
    expect([...open].sort((a, b) => a - b)).toEqual(open);

    expect(await claimRequest(db, agent, request.id)).toMatchObject({ ok: true });
    expect(await claimRequest(db, other, request.id)).toMatchObject({ ok: false });
    expect(await releaseRequest(db, other, request.id)).toMatchObject({ ok: false });
    queue = await listQueue(db, agent, "mine");
    expect(queue.rows.map((r) => r.reference)).toEqual([request.reference]);
    expect(queue.counts.mine).toBe(1);
    expect(await releaseRequest(db, agent, request.id)).toMatchObject({ ok: true });
    expect((await listQueue(db, agent, "mine")).counts.mine).toBe(0);

    expect(await addInternalNote(db, agent, request.id, "SECRET-NOTE caller knew the last four digits")).toMatchObject({ ok: true });
    expect(await replyToRequest(db, agent, request.id, "We sent a link to the address on file.")).toMatchObject({ ok: true });
    queue = await listQueue(db, agent, "waiting");
    expect(queue.rows.map((r) => r.reference)).toContain(request.reference);
    expect(queue.rows.find((r) => r.id === request.id)?.assignedTo).toBe(agent);

    expect(await resolveRequest(db, agent, request.id)).toMatchObject({ ok: true });
    expect((await listQueue(db, agent, "open")).rows.map((r) => r.id)).not.toContain(request.id);
    expect((await listQueue(db, agent, "resolved")).rows.map((r) => r.id)).toContain(request.id);

    const events = await db.select().from(auditEvents).where(eq(auditEvents.actorId, agent));
    const actions = events.filter((e) => e.detail?.requestId === request.id).map((e) => e.action);
    expect(actions).toEqual(["support.claimed", "support.released", "support.noted", "support.replied", "support.resolved"]);
    expect(JSON.stringify(events)).not.toContain("SECRET-NOTE");
  });

  it("never puts an internal note in an email or the customer's view", async () => {
    const { db } = testDb();
    const agent = await staff();
    const request = await newRequest();
    await addInternalNote(db, agent, request.id, "SECRET-NOTE-42 do not share");
    await replyToRequest(db, agent, request.id, "Here is our answer.");
    const mails = await listMailbox(db, request.email);
    expect(mails.map((m) => m.subject)).toContainEqual(expect.stringMatching(/^Re: your support request/));
    for (const mail of mails) {
      expect(mail.text + mail.html).not.toContain("SECRET-NOTE-42");
    }
    const reply = mails.find((m) => m.subject.startsWith("Re:"))!;
    expect(reply.text).toContain("Here is our answer.");
    const visible = await customerVisibleThread(db, request.id);
    expect(visible.map((m) => m.kind)).toEqual(["customer", "reply"]);
    expect(JSON.stringify(visible)).not.toContain("SECRET-NOTE-42");
    // The agent's view has it.
    const thread = await getRequestForAgent(db, agent, request.id);
    expect(thread?.messages.map((m) => m.kind)).toEqual(["customer", "note", "reply"]);
  });

  it("refuses an empty or control-character reply and changes nothing", async () => {
    const { db } = testDb();
    const agent = await staff();
    const request = await newRequest();
    expect(await replyToRequest(db, agent, request.id, "   ")).toMatchObject({ ok: false });
    expect(await replyToRequest(db, agent, request.id, "bell\u0007")).toMatchObject({ ok: false });
    expect(await replyToRequest(db, agent, request.id, 42)).toMatchObject({ ok: false });
    expect(await replyToRequest(db, agent, 987_654_321, "hi")).toMatchObject({ ok: false });
    const [row] = await db.select().from(supportRequests).where(eq(supportRequests.id, request.id));
    expect(row.status).toBe("open");
    expect((await listMailbox(db, request.email)).length).toBe(1);
  });
});

describe("customer lookup and the agent's reset link", () => {
  it("sends a 24-hour agent link to the email on file, audited with the agent, and shows it in the activity", async () => {
    const { db } = testDb();
    const agent = await staff();
    const email = uniqueEmail("customer");
    const customer = (await upsertUser(db, { email, role: "customer" })).id;
    expect(await findCustomers(db, agent, email.toUpperCase())).toMatchObject({ ok: true, exact: customer });
    expect(await findCustomers(db, agent, uniqueEmail("nobody"))).toMatchObject({ ok: true, exact: null, matches: [] });

    const result = await sendResetLinkFromAgent(db, agent, customer, "10.9.9.9");
    expect(result).toMatchObject({ ok: true });
    expect(JSON.stringify(result)).not.toMatch(/reset-password\//);
    const [token] = await db.select().from(resetTokens).where(eq(resetTokens.userId, customer));
    expect(token.purpose).toBe("agent");
    expect(token.createdBy).toBe(agent);
    const hours = (token.expiresAt.getTime() - token.createdAt.getTime()) / 3_600_000;
    expect(hours).toBeCloseTo(24, 5);
    const [mail] = await listMailbox(db, email);
    expect(mail.text).toMatch(/\/reset-password\/[A-Za-z0-9_-]{43}/);
    const [sent] = await db.select().from(sentEmails).where(eq(sentEmails.userId, customer));
    expect(sent).toMatchObject({ kind: "reset_link_agent", status: "sent" });

    const overview = await customerOverview(db, agent, customer);
    const [agentRow] = await db.select({ email: users.email }).from(users).where(eq(users.id, agent));
    const sentEvent = overview!.activity.find((a) => a.action === "reset_link.sent");
    expect(sentEvent).toMatchObject({ actorEmail: agentRow.email, purpose: "agent" });
    expect(overview!.emails.map((e) => e.kind)).toContain("reset_link_agent");
    expect(overview!.activity.map((a) => a.action)).toContain("support.customer_viewed");
    // Nothing secret in what the page receives.
    const serialised = JSON.stringify(overview);
    expect(serialised).not.toMatch(/argon2|token_?hash|passwordHash/i);
    expect(serialised).not.toContain(token.tokenHash);
  });

  it("lists the customer's requests and the emails they were sent", async () => {
    const { db } = testDb();
    const agent = await staff();
    const email = uniqueEmail("asker");
    const customer = (await upsertUser(db, { email, role: "customer" })).id;
    const request = await newRequest(email);
    const overview = await customerOverview(db, agent, customer);
    expect(overview!.requests.map((r) => r.reference)).toEqual([request.reference]);
    expect(overview!.emails.map((e) => e.kind)).toEqual(["support_confirmation"]);
    expect((await db.select().from(outboxEmails).where(eq(outboxEmails.to, email))).length).toBe(1);
  });
});
