// Support by email through the whole path: a signed email.received event at
// the webhook route, the fetch through the real Resend SDK against the local
// Resend-compatible server, the filing, the acknowledgement (decision 0007).
import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { rowsOf } from "@/db/client";
import { sentEmails, supportMessages, supportRequests } from "@/db/schema";
import { upsertUser } from "@/lib/accounts";
import { resetEnvCache } from "@/lib/env";
import { receivedEvent, svixHeaders } from "@/lib/webhooks/sign";
import { uniqueEmail, withTestDb } from "@/test/db";
import { startFakeResend, type FakeResend, type InboundInput } from "@/test/fake-resend";
import { POST } from "@/app/api/webhooks/resend/route";
import { replyToRequest } from "../index";
import { replyAddressFor, referenceFromRecipients } from "../threading";
import { sendAcknowledgements } from "./acknowledge";
import type { Ack } from "./file";
import { inboundWorkerIdle, kickInboundWorker } from "./worker";

const testDb = withTestDb();
const SECRET = `whsec_${randomBytes(24).toString("base64")}`;
const SUPPORT = "support@desk.example";
let fake: FakeResend;

beforeAll(async () => {
  fake = await startFakeResend();
  Object.assign(process.env, {
    EMAIL_TRANSPORT: "resend",
    RESEND_API_KEY: "re_test_inbound",
    RESEND_BASE_URL: fake.url,
    RESEND_WEBHOOK_SECRET: SECRET,
    SUPPORT_EMAIL: SUPPORT,
    EMAIL_FROM: "Desk <security@desk.example>",
    SUPPORT_INBOUND_ACKS_PER_HOUR: "50",
  });
  resetEnvCache();
});
afterAll(async () => {
  for (const k of ["EMAIL_TRANSPORT", "RESEND_API_KEY", "RESEND_BASE_URL", "RESEND_WEBHOOK_SECRET", "SUPPORT_EMAIL", "EMAIL_FROM"]) delete process.env[k];
  resetEnvCache();
  await fake.close();
});
beforeEach(() => {
  delete process.env.SUPPORT_INBOUND_NEW_PER_HOUR;
  delete process.env.SUPPORT_INBOUND_MAX_BYTES;
  resetEnvCache();
});

async function deliver(body: string, headers = svixHeaders(SECRET, body)) {
  const res = await POST(new Request("http://localhost/api/webhooks/resend", { method: "POST", body, headers }));
  await inboundWorkerIdle();
  return res;
}

/** The customer's email arrives: stored at the fake, announced by a signed event. */
async function email(input: Partial<InboundInput> & { from: string }) {
  const stored = fake.receive({ to: [SUPPORT], subject: "Help with my account", text: "I cannot sign in.", ...input });
  const res = await deliver(receivedEvent(stored));
  expect(res.status).toBe(200);
  return stored;
}

async function requestsOf(address: string) {
  return testDb().db.select().from(supportRequests).where(eq(supportRequests.email, address)).orderBy(supportRequests.id);
}
async function messagesOf(requestId: number) {
  return testDb().db.select().from(supportMessages).where(eq(supportMessages.requestId, requestId)).orderBy(supportMessages.id);
}
const sentTo = (address: string) => fake.sent.filter((e) => e.to === address);

describe("support by email", () => {
  it("opens a request, acknowledges it threaded, and files the answer to the agent's reply on it", async () => {
    const customer = uniqueEmail("mailer");
    const first = await email({ from: `Pat Mailer <${customer}>` });
    const [request] = await requestsOf(customer);
    expect(request).toMatchObject({ channel: "email", name: "Pat Mailer", status: "open" });
    const [message] = await messagesOf(request.id);
    expect(message).toMatchObject({ channel: "email", kind: "customer", body: "I cannot sign in.", subject: "Help with my account" });

    const [ack] = sentTo(customer);
    expect(ack.subject).toContain(request.reference);
    expect(ack.headers?.["Auto-Submitted"]).toBe("auto-replied");
    expect(ack.headers?.["In-Reply-To"]).toBe(first.message_id);
    expect(ack.headers?.["Message-ID"]).toMatch(/^<rd\.[0-9a-f]+@desk\.example>$/);
    expect(ack.replyTo).toBe(replyAddressFor(request.reference));
    expect(ack.replyTo).toMatch(/^support\+RD-[0-9A-Z]{8}\.[0-9a-f]{16}@desk\.example$/);

    const agent = await upsertUser(testDb().db, { email: uniqueEmail("agent"), role: "agent", password: "Lantern-Quokka-7319-Ribbon" });
    expect((await replyToRequest(testDb().db, agent.id, request.id, "Here is what to do.")).ok).toBe(true);
    const reply = sentTo(customer)[1];
    expect(reply.headers?.["In-Reply-To"]).toBe(ack.headers?.["Message-ID"]);
    expect(reply.headers?.References).toContain(first.message_id);
    expect(reply.headers?.["Auto-Submitted"]).toBeUndefined();
    expect((await requestsOf(customer))[0].status).toBe("waiting");

    // The customer answers the reply (through the Reply-To, threaded headers too).
    await email({
      from: customer,
      to: [reply.replyTo!],
      subject: `Re: ${reply.subject}`,
      text: "Thanks, that worked.",
      headers: { "In-Reply-To": reply.headers!["Message-ID"], References: reply.headers!.References },
    });
    const after = await requestsOf(customer);
    expect(after).toHaveLength(1);
    expect(after[0].status).toBe("open");
    expect((await messagesOf(request.id)).map((m) => m.body)).toEqual(["I cannot sign in.", "Here is what to do.", "Thanks, that worked."]);
    expect(sentTo(customer)).toHaveLength(2); // no acknowledgement for an answer
  });

  it("joins by In-Reply-To alone, and ignores forged or altered tokens and other senders", async () => {
    const customer = uniqueEmail("owner");
    await email({ from: customer });
    const [request] = await requestsOf(customer);
    const ack = sentTo(customer)[0];
    const before = (await messagesOf(request.id)).length;

    await email({ from: customer, headers: { "In-Reply-To": ack.headers!["Message-ID"] }, text: "by header" });
    expect((await messagesOf(request.id)).length).toBe(before + 1);

    const valid = replyAddressFor(request.reference);
    const altered = valid.replace(/\.([0-9a-f])/, (_, c: string) => `.${c === "0" ? "1" : "0"}`);
    const unsigned = `support+${request.reference}@desk.example`;
    const mac = /\.([0-9a-f]{16})@/.exec(valid)![1];
    const otherRef = `support+RD-00000000.${mac}@desk.example`; // this mac on another reference
    for (const to of [altered, unsigned, otherRef]) {
      await email({ from: customer, to: [to], text: `forged ${to}` });
    }
    const intruder = uniqueEmail("intruder");
    await email({ from: intruder, to: [valid], headers: { "In-Reply-To": ack.headers!["Message-ID"] }, text: "let me in" });

    expect((await messagesOf(request.id)).length).toBe(before + 1);
    expect(await requestsOf(customer)).toHaveLength(4);
    expect(await requestsOf(intruder)).toHaveLength(1);
    expect(referenceFromRecipients([altered])).toBeNull();
    expect(referenceFromRecipients([valid.toUpperCase()])).toBe(request.reference);
  });

  it("makes replies to the breach-notice email one request per sender", async () => {
    const noticeId = `<notice-${randomBytes(4).toString("hex")}@desk.example>`;
    const senders = [uniqueEmail("notice-a"), uniqueEmail("notice-b"), uniqueEmail("notice-c")];
    for (const from of senders) await email({ from, subject: "Re: Notice of Data Breach", headers: { "In-Reply-To": noticeId, References: noticeId } });
    for (const from of senders) expect(await requestsOf(from)).toHaveLength(1);
  });

  it("sends no acknowledgement to automatic mail, and files a delivery report as a bounce", async () => {
    const loops: Record<string, Record<string, string>> = {
      auto: { "Auto-Submitted": "auto-replied" },
      bulk: { Precedence: "bulk" },
      list: { Precedence: "list" },
      junk: { Precedence: "junk" },
      suppress: { "X-Auto-Response-Suppress": "All" },
      autoreply: { "X-Autoreply": "yes" },
      unsubscribe: { "List-Unsubscribe": "<mailto:leave@lists.example>" },
    };
    for (const [name, headers] of Object.entries(loops)) {
      const from = uniqueEmail(`loop-${name}`);
      await email({ from, headers });
      expect(await requestsOf(from), name).toHaveLength(1);
      expect(sentTo(from), name).toHaveLength(0);
    }
    await email({ from: "noreply@shop.example" });
    expect(sentTo("noreply@shop.example")).toHaveLength(0);
    await email({ from: "colleague@desk.example" });
    expect(sentTo("colleague@desk.example")).toHaveLength(0);
    expect(await requestsOf("colleague@desk.example")).toHaveLength(1);
    // Auto-Submitted: no is a person.
    const person = uniqueEmail("person");
    await email({ from: person, headers: { "Auto-Submitted": "no" } });
    expect(sentTo(person)).toHaveLength(1);

    // A delivery report naming an email we sent: a bounce, no request, no acknowledgement.
    const ourId = `<rd.${randomBytes(6).toString("hex")}@desk.example>`;
    const [sent] = await testDb().db
      .insert(sentEmails)
      .values({ to: uniqueEmail("gone"), kind: "support_reply", subject: "Your request", messageId: ourId })
      .returning({ id: sentEmails.id });
    const requestsBefore = rowsOf<{ n: number }>(await testDb().db.execute(sql`select count(*)::int as n from support_requests`))[0].n;
    await email({
      from: "MAILER-DAEMON@mx.example.net",
      subject: "Undelivered Mail Returned to Sender",
      headers: { "Content-Type": 'multipart/report; report-type=delivery-status; boundary="b"', "Return-Path": "<>" },
      text: `The mail system could not deliver your message.\nMessage-ID: ${ourId}`,
    });
    const [bounce] = rowsOf<{ message_id: string; sent_email_id: number }>(
      await testDb().db.execute(sql`select message_id, sent_email_id from email_bounces where message_id = ${ourId}`),
    );
    expect(Number(bounce.sent_email_id)).toBe(sent.id);
    const [status] = await testDb().db.select({ status: sentEmails.status }).from(sentEmails).where(eq(sentEmails.id, sent.id));
    expect(status.status).toBe("bounced");
    expect(rowsOf<{ n: number }>(await testDb().db.execute(sql`select count(*)::int as n from support_requests`))[0].n).toBe(requestsBefore);
    expect(sentTo("mailer-daemon@mx.example.net")).toHaveLength(0);
    // An empty return path alone is a report too.
    const bouncer = uniqueEmail("dsn");
    await email({ from: bouncer, headers: { "Return-Path": "<>" } });
    expect(await requestsOf(bouncer)).toHaveLength(0);
  });

  it("files an event delivered twice once, and retries a fetch that failed", async () => {
    const from = uniqueEmail("twice");
    const stored = fake.receive({ from, to: [SUPPORT], subject: "Twice", text: "Once only" });
    const body = receivedEvent(stored);
    const headers = svixHeaders(SECRET, body);
    expect((await deliver(body, headers)).status).toBe(200);
    expect((await deliver(body, headers)).status).toBe(400); // a replay
    const again = svixHeaders(SECRET, body); // the same email, another event id
    expect((await deliver(body, again)).status).toBe(200);
    expect((await deliver(body, again)).status).toBe(400); // and its replay is refused too
    const [request] = await requestsOf(from);
    expect(await messagesOf(request.id)).toHaveLength(1);
    expect(sentTo(from)).toHaveLength(1);

    const flaky = uniqueEmail("flaky");
    fake.failReceiving(1);
    const calls = fake.calls.length;
    await email({ from: flaky, text: "Second time lucky" });
    const fetches = fake.calls.slice(calls).filter((c) => c.path.startsWith("/emails/receiving/"));
    expect(fetches.map((c) => c.status)).toEqual([500, 200]);
    const [kept] = rowsOf<{ attempts: number; status: string }>(
      await testDb().db.execute(sql`select attempts, status from inbound_events order by id desc limit 1`),
    );
    expect(kept).toMatchObject({ attempts: 2, status: "done" });
    const [flakyRequest] = await requestsOf(flaky);
    expect((await messagesOf(flakyRequest.id)).map((m) => m.body)).toEqual(["Second time lucky"]);
  });

  it("files what the webhook stored without claiming it again, and claims events another instance left", async () => {
    const from = uniqueEmail("handed");
    const stored = await email({ from });
    const [mine] = rowsOf<{ attempts: number; status: string }>(
      await testDb().db.execute(sql`select attempts, status from inbound_events where email_id = ${stored.id}`),
    );
    expect(mine).toMatchObject({ attempts: 1, status: "done" }); // leased by its insert, filed by this worker

    // An event stored by an instance that died before filing it: its lease has run out.
    const orphan = uniqueEmail("orphan");
    const left = fake.receive({ from: orphan, to: [SUPPORT], subject: "Left behind", text: "Anyone?" });
    await testDb().db.execute(sql`
      insert into inbound_events (svix_id, email_id, payload, attempts, next_attempt_at)
      values (${`msg_orphan_${left.id}`}, ${left.id}, ${receivedEvent(left)}::jsonb, 1, now() - interval '1 second')`);
    kickInboundWorker(testDb().db);
    await inboundWorkerIdle();
    const [claimed] = rowsOf<{ attempts: number; status: string }>(
      await testDb().db.execute(sql`select attempts, status from inbound_events where email_id = ${left.id}`),
    );
    expect(claimed).toMatchObject({ attempts: 2, status: "done" });
    expect((await messagesOf((await requestsOf(orphan))[0].id)).map((m) => m.body)).toEqual(["Anyone?"]);
  });

  it("files every email of a flood across rounds exactly once, each acknowledged once", async () => {
    const senders = Array.from({ length: 230 }, (_, i) => uniqueEmail(`wave-${i}`));
    const stored = senders.map((from, i) => fake.receive({ from, to: [SUPPORT], subject: `Wave ${i}`, text: `wave ${i}` }));
    const post = (body: string) => POST(new Request("http://localhost/api/webhooks/resend", { method: "POST", body, headers: svixHeaders(SECRET, body) }));
    // Sixteen at a time, as the provider delivers: stored in groups, filed in rounds of up to 100 while more arrive.
    const bodies = stored.map((e) => receivedEvent(e));
    for (let i = 0; i < bodies.length; i += 16) {
      const answers = await Promise.all(bodies.slice(i, i + 16).map(post));
      expect(answers.map((a) => a.status).every((status) => status === 200)).toBe(true);
    }
    await inboundWorkerIdle();
    const counts = rowsOf<{ requests: number; messages: number; pending: number }>(
      await testDb().db.execute(sql`
        select (select count(*)::int from support_requests where email like 'wave-%') as requests,
               (select count(*)::int from support_messages m join support_requests r on r.id = m.request_id where r.email like 'wave-%') as messages,
               (select count(*)::int from inbound_events where status <> 'done') as pending`),
    )[0];
    expect(counts).toEqual({ requests: 230, messages: 230, pending: 0 });
    expect(senders.every((sender) => sentTo(sender).length === 1)).toBe(true);
  });

  it("sends a refused batch of acknowledgements again after the provider's Retry-After, each once; still refused, no single sends", async () => {
    const acks = (tag: string): Ack[] =>
      Array.from({ length: 3 }, (_, i) => ({
        requestId: 0,
        reference: `RD-ACK${tag}${i}`,
        to: uniqueEmail(`ack-${tag}-${i}`),
        userId: null,
        replyTo: replyAddressFor(`RD-ACK${tag}${i}`),
        headers: { "Auto-Submitted": "auto-replied" },
      }));
    const waits: number[] = [];
    const wait = async (ms: number) => {
      waits.push(ms);
    };
    const batchCallsSince = (from: number) => fake.calls.slice(from).filter((c) => c.path.startsWith("/emails") && !c.path.includes("receiving"));
    try {
      // Rate-limited once: sent again under the same key after its Retry-After.
      let refusals = 1;
      fake.setFailures((_, call) => (call.path === "/emails/batch" && refusals-- > 0 ? { status: 429, retryAfterSeconds: 2 } : null));
      const first = acks("A");
      let from = fake.calls.length;
      await sendAcknowledgements(testDb().db, first, wait);
      expect(waits).toEqual([2000]);
      // The 429 holds back the campaign and bulk workers too (the shared rate window).
      const [window] = rowsOf<{ ahead: number }>(
        await testDb().db.execute(sql`select extract(epoch from next_allowed_at - clock_timestamp())::float8 as ahead from provider_rate_windows where provider = 'resend'`),
      );
      expect(Number(window?.ahead)).toBeGreaterThan(1);
      expect(batchCallsSince(from).map((c) => [c.path, c.status])).toEqual([
        ["/emails/batch", 429],
        ["/emails/batch", 200],
      ]);
      expect(first.every((a) => sentTo(a.to).length === 1)).toBe(true);

      // Refused every time: four tries with backoff, then logged as lost, without a hundred single sends.
      waits.length = 0;
      fake.setFailures((_, call) => (call.path.startsWith("/emails") ? { status: 503 } : null));
      const second = acks("B");
      from = fake.calls.length;
      await sendAcknowledgements(testDb().db, second, wait);
      expect(waits).toEqual([1000, 2000, 4000]);
      expect(batchCallsSince(from).map((c) => c.path)).toEqual(Array(4).fill("/emails/batch"));
      expect(second.every((a) => sentTo(a.to).length === 0)).toBe(true);
    } finally {
      fake.setFailures(undefined);
    }
  });

  it("files mail whose headers carry control characters or broken UTF-16 instead of failing the round", async () => {
    const from = uniqueEmail("broken");
    await email({
      from: `Bro\ud800ken \u0007Name <${from}>`,
      subject: "Half a pair \ud83d here",
      text: "Body with a lone \udc00 surrogate",
      message_id: "<id\u0000with\ud800junk@mail.example.net>",
      headers: { "In-Reply-To": "<ref\ud800@mail.example.net>" },
    });
    const [request] = await requestsOf(from);
    const [message] = await messagesOf(request.id);
    expect(message.subject).toBe("Half a pair \ufffd here");
    expect(message.body).toBe("Body with a lone \ufffd surrogate");
    expect(message.messageId).toBe("<idwith\ufffdjunk@mail.example.net>");
    expect(request.name).toBe("Bro\ufffdken Name");
  });

  it("caps new requests per sender per hour and groups the rest; keeps over-size text truncated; html as text", async () => {
    process.env.SUPPORT_INBOUND_NEW_PER_HOUR = "2";
    process.env.SUPPORT_INBOUND_MAX_BYTES = "1000";
    resetEnvCache();
    const flooder = uniqueEmail("flood");
    for (let i = 0; i < 5; i++) await email({ from: flooder, subject: `Flood ${i}`, text: `flood ${i}` });
    const requests = await requestsOf(flooder);
    expect(requests).toHaveLength(2);
    expect((await messagesOf(requests[1].id)).map((m) => m.body)).toEqual(["flood 1", "flood 2", "flood 3", "flood 4"]);

    const big = uniqueEmail("big");
    await email({ from: big, text: "x".repeat(5000) });
    const [bigMessage] = await messagesOf((await requestsOf(big))[0].id);
    expect(bigMessage.body.startsWith("x".repeat(1000))).toBe(true);
    expect(bigMessage.body).toContain("[Truncated: the message had 5000 bytes of text; the first 1000 are kept.]");

    const html = uniqueEmail("html");
    await email({
      from: html,
      text: null,
      html: '<p>Hello <b>desk</b></p><script>alert(1)</script><img src="https://tracker.example/p.gif">',
      attachments: [{ id: "a1", filename: "<img src=x onerror=alert(1)>.pdf", size: 2048, content_type: "application/pdf", content_id: null, content_disposition: "attachment" }],
    });
    const [htmlMessage] = await messagesOf((await requestsOf(html))[0].id);
    expect(htmlMessage.fromHtml).toBe(true);
    expect(htmlMessage.body).toContain("Hello desk");
    expect(htmlMessage.body).not.toContain("<p>");
    expect(htmlMessage.attachments).toEqual([{ filename: "<img src=x onerror=alert(1)>.pdf", contentType: "application/pdf", size: 2048 }]);
  });

  it("files many emails that arrive together in one round by the same rules as one by one", async () => {
    process.env.SUPPORT_INBOUND_NEW_PER_HOUR = "2";
    resetEnvCache();
    // An existing request with its acknowledgement: its token and Message-ID.
    const customer = uniqueEmail("batch-owner");
    await email({ from: customer });
    const [request] = await requestsOf(customer);
    const ack = sentTo(customer)[0];
    const flooder = uniqueEmail("batch-flood");
    const intruder = uniqueEmail("batch-intruder");
    const automatic = uniqueEmail("batch-auto");
    const inputs: (Partial<InboundInput> & { from: string })[] = [
      ...[0, 1, 2, 3].map((i) => ({ from: flooder, text: `flood ${i}` })),
      { from: customer, to: [ack.replyTo!], text: "answer by token" },
      { from: customer, headers: { "In-Reply-To": ack.headers!["Message-ID"] }, text: "answer by header" },
      { from: intruder, to: [ack.replyTo!], headers: { "In-Reply-To": ack.headers!["Message-ID"] }, text: "let me in" },
      { from: automatic, headers: { "Auto-Submitted": "auto-replied" } },
      { from: "MAILER-DAEMON@mx.example.net", headers: { "Return-Path": "<>" }, text: "undeliverable" },
    ];
    const stored = inputs.map((input) => fake.receive({ to: [SUPPORT], subject: "Help", text: "Batch", ...input }));
    const post = (body: string) => POST(new Request("http://localhost/api/webhooks/resend", { method: "POST", body, headers: svixHeaders(SECRET, body) }));
    // The worker is busy with a slow fetch while the emails arrive, so that they are all stored before its next claim.
    fake.delayReceiving(400);
    const busy = fake.receive({ from: uniqueEmail("batch-busy"), to: [SUPPORT], subject: "First", text: "First" });
    expect((await post(receivedEvent(busy))).status).toBe(200);
    const before = fake.calls.length;
    // Delivered at once: written together, claimed and filed in one round.
    const answers = await Promise.all(stored.map((e) => post(receivedEvent(e))));
    fake.delayReceiving(0);
    expect(answers.map((a) => a.status)).toEqual(inputs.map(() => 200));
    await inboundWorkerIdle();

    // Webhooks delivered at once have no order among them: whichever is filed first opens the first request.
    const flood = await requestsOf(flooder);
    expect(flood).toHaveLength(2);
    const [first, rest] = [await messagesOf(flood[0].id), await messagesOf(flood[1].id)];
    expect(first).toHaveLength(1);
    expect(rest).toHaveLength(3); // the second request, and the two past the cap grouped onto it
    expect([...first, ...rest].map((m) => m.body).sort()).toEqual(["flood 0", "flood 1", "flood 2", "flood 3"]);
    expect(sentTo(flooder)).toHaveLength(2);
    const onRequest = (await messagesOf(request.id)).map((m) => m.body);
    expect(onRequest[0]).toBe("I cannot sign in.");
    expect(onRequest.slice(1).sort()).toEqual(["answer by header", "answer by token"]);
    expect(await requestsOf(customer)).toHaveLength(1);
    expect(await requestsOf(intruder)).toHaveLength(1);
    expect(await requestsOf(automatic)).toHaveLength(1);
    expect(sentTo(automatic)).toHaveLength(0);
    expect(await requestsOf("mailer-daemon@mx.example.net")).toHaveLength(0);
    // The acknowledgements went out in one batch send, threaded and marked automatic.
    const batches = fake.calls.slice(before).filter((c) => c.path === "/emails/batch");
    expect(batches).toHaveLength(1);
    expect(batches[0].emails).toBe(3); // the flooder's two requests and the intruder's
    const [intruderAck] = sentTo(intruder);
    expect(intruderAck.headers?.["Auto-Submitted"]).toBe("auto-replied");
    expect(intruderAck.replyTo).toBe(replyAddressFor((await requestsOf(intruder))[0].reference));
    const events = rowsOf<{ status: string; n: number }>(
      await testDb().db.execute(sql`select status, count(*)::int as n from inbound_events group by status`),
    );
    expect(events.filter((e) => e.status !== "done")).toEqual([]);
  });
});
