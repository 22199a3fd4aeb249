// The campaign on the embedded database with the outbox transport (the demo
// and e2e path): each recipient gets one notice with the five headings, a
// working personal link and the advice; pause stops claiming; suppressed
// addresses are skipped; the shared rate window spaces turns.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rowsOf } from "@/db/client";
import { suppressedEmails, users } from "@/db/schema";
import { checkResetToken } from "@/lib/reset-links";
import { uniqueEmail, withTestDb } from "@/test/db";
import { campaignProgress, createCampaign, pauseCampaign, startCampaign } from "./index";
import { fileInbound } from "@/lib/support/inbound/file";
import { inboundEmail } from "@/test/fake-resend";
import { acquireSendSlot } from "./rate-window";
import { buildNoticeTemplate, noticeMessageId, personalise } from "./render";
import { sealLink } from "./seal";
import { runWorker, workOnce } from "./worker";

const testDb = withTestDb();
const admin = { id: null, ip: "test" };

describe("campaign with the outbox", () => {
  it("emails each listed recipient once: headings, personal link, advice, plain text", async () => {
    const { db } = testDb();
    const emails = Array.from({ length: 5 }, () => uniqueEmail("notice"));
    await db.insert(users).values(emails.map((email, i) => ({ email, name: i === 0 ? "Ann <b>Bold</b>" : null, role: "customer" as const })));
    await db.insert(suppressedEmails).values({ email: emails[4], reason: "bounced" });
    const id = await createCampaign(db, { name: "List", scope: { kind: "emails", emails } }, admin);
    await startCampaign(db, id, admin);
    await runWorker(db, { once: true, idleMs: 10 });

    const outbox = rowsOf<{ to: string; subject: string; text: string; html: string }>(
      await db.execute(sql`select "to", subject, text, html from outbox_emails where "to" in (${sql.join(emails.map((e) => sql`${e}`), sql`, `)})`),
    );
    expect(outbox.map((o) => o.to).sort()).toEqual(emails.slice(0, 4).sort());
    const first = outbox.find((o) => o.to === emails[0])!;
    for (const h of ["What Happened", "What Information Was Involved", "What We Are Doing", "What You Can Do", "For More Information"]) {
      expect(first.html).toContain(h);
    }
    expect(first.text).toMatch(/change it there too/);
    expect(first.html).toContain("Ann &lt;b&gt;Bold&lt;/b&gt;");
    const token = first.text.match(/\/reset-password\/([A-Za-z0-9_-]+)/)![1];
    const check = await checkResetToken(db, token);
    expect(check).toMatchObject({ status: "valid", purpose: "campaign", email: emails[0] });

    const progress = (await campaignProgress(db, id))!;
    expect(progress.status).toBe("completed");
    expect(progress.counts).toMatchObject({ sent: 4, suppressed: 1 });
  });

  it("gives each notice a Message-ID of ours, the same on a retry, recorded with the email, so a delivery report links to it", async () => {
    const { db } = testDb();
    const emails = [uniqueEmail("dsn-a"), uniqueEmail("dsn-b")];
    await db.insert(users).values(emails.map((email) => ({ email, role: "customer" as const })));
    const id = await createCampaign(db, { name: "Reported", scope: { kind: "emails", emails } }, admin);
    await startCampaign(db, id, admin);
    await runWorker(db, { once: true, idleMs: 10 });

    const outbox = rowsOf<{ to: string; headers: Record<string, string> | null }>(
      await db.execute(sql`select "to", headers from outbox_emails where "to" in (${sql.join(emails.map((e) => sql`${e}`), sql`, `)})`),
    );
    const ours = new Map(outbox.map((o) => [o.to, o.headers?.["Message-ID"] ?? ""]));
    for (const messageId of ours.values()) expect(messageId).toMatch(/^<rd\.n\.[0-9a-f]{32}@[^>]+>$/);
    expect(new Set(ours.values()).size).toBe(2);
    const sent = rowsOf<{ id: number | string; to: string; message_id: string | null }>(
      await db.execute(sql`select id, "to", message_id from sent_emails where kind = 'breach_notice' and "to" in (${sql.join(emails.map((e) => sql`${e}`), sql`, `)})`),
    );
    expect(sent.map((r) => [r.to, r.message_id]).sort()).toEqual([...ours.entries()].sort());

    // A retried batch carries the same sealed link, so the same Message-ID: byte for byte the same email.
    const template = await buildNoticeTemplate(db);
    const recipient = { id: 1, userId: 1, email: emails[0], name: null, sealedLink: sealLink({ url: "https://shop.example/reset-password/abc", expiresAt: new Date().toISOString() }) };
    expect(personalise(template, recipient)).toEqual(personalise(template, { ...recipient }));
    const other = { ...recipient, sealedLink: sealLink({ url: "https://shop.example/reset-password/abc", expiresAt: new Date().toISOString() }) };
    expect(noticeMessageId(other)).not.toBe(noticeMessageId(recipient));

    // The mail server's report, filed by the inbound pipeline: a bounce against that very email, no request.
    const report = inboundEmail({
      from: "MAILER-DAEMON@mx.example.net",
      to: ["support@example.com"],
      subject: "Undelivered Mail Returned to Sender",
      headers: { "Content-Type": "multipart/report; report-type=delivery-status", "Return-Path": "<>" },
      text: `Your message could not be delivered.\nMessage-ID: ${ours.get(emails[0])}`,
    });
    const [event] = rowsOf<{ id: number | string }>(
      await db.execute(sql`insert into inbound_events (svix_id, email_id, payload) values (${`msg_${report.id}`}, ${report.id}, '{}'::jsonb) returning id`),
    );
    const [filed] = await fileInbound(db, [{ eventId: Number(event.id), email: report }]);
    expect(filed.outcome).toBe("bounce");
    const reported = sent.find((r) => r.to === emails[0])!;
    const [bounce] = rowsOf<{ sent_email_id: number | string; message_id: string }>(
      await db.execute(sql`select sent_email_id, message_id from email_bounces where inbound_event_id = ${event.id}`),
    );
    expect(bounce).toEqual({ sent_email_id: expect.anything(), message_id: ours.get(emails[0]) });
    expect(Number(bounce.sent_email_id)).toBe(Number(reported.id));
    const statuses = rowsOf<{ to: string; status: string }>(
      await db.execute(sql`select "to", status from sent_emails where kind = 'breach_notice' and "to" in (${sql.join(emails.map((e) => sql`${e}`), sql`, `)})`),
    );
    expect(Object.fromEntries(statuses.map((r) => [r.to, r.status]))).toEqual({ [emails[0]]: "bounced", [emails[1]]: "sent" });
  });

  it("stops claiming when paused and resumes on start", async () => {
    const { db } = testDb();
    const emails = Array.from({ length: 3 }, () => uniqueEmail("paused"));
    await db.insert(users).values(emails.map((email) => ({ email, role: "customer" as const })));
    const id = await createCampaign(db, { name: "Pausable", scope: { kind: "emails", emails } }, admin);
    await startCampaign(db, id, admin);
    await pauseCampaign(db, id, admin);
    expect(await workOnce(db, id, { workerId: "t" })).toBe("none");
    expect((await campaignProgress(db, id))!.counts.sent ?? 0).toBe(0);
    await startCampaign(db, id, admin);
    await runWorker(db, { once: true, idleMs: 10 });
    expect((await campaignProgress(db, id))!.counts.sent).toBe(3);
    await expect(pauseCampaign(db, id, admin)).rejects.toThrow(/completed/);
  });

  it("spaces provider turns by the configured rate across callers", async () => {
    const { db } = testDb();
    const started = Date.now();
    const turns: number[] = [];
    await Promise.all(Array.from({ length: 6 }, async () => {
      await acquireSendSlot(db, "test-provider", 20);
      turns.push(Date.now() - started);
    }));
    turns.sort((a, b) => a - b);
    // 6 turns at 20/s need at least 5 × 50 ms.
    expect(turns[5] - turns[0]).toBeGreaterThanOrEqual(5 * 50 - 10);
  });
});
