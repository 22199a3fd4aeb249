// /dev/mailbox's "send a test email into the desk" (outbox transport only):
// the message is kept where the inbound fetch finds it with the outbox
// transport, and a Svix-signed email.received event goes through the same
// webhook handler as Resend's, signature check included.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Db } from "@/db/client";
import { devReceivedEmails } from "@/db/schema";
import { mailboxEnabled } from "@/lib/email/mailbox";
import { env } from "@/lib/env";
import { handleResendWebhook } from "@/lib/webhooks";
import { receivedEvent, svixHeaders } from "@/lib/webhooks/sign";
import type { ReceivedEmail } from "./classify";

export const testEmailSchema = z.object({
  from: z.string().trim().min(3, "Enter a sender, like Pat <pat@example.com>.").max(320),
  to: z.string().trim().max(320).optional(),
  subject: z.string().trim().max(300).default(""),
  text: z.string().max(100_000).default(""),
  inReplyTo: z.string().trim().max(300).optional(),
});

export type TestEmailResult = { ok: true } | { ok: false; error: string };

export async function sendTestEmailIntoDesk(db: Db, input: unknown): Promise<TestEmailResult> {
  if (!mailboxEnabled()) return { ok: false, error: "Only with the outbox transport." };
  const secret = env().RESEND_WEBHOOK_SECRET;
  if (!secret) return { ok: false, error: "Set RESEND_WEBHOOK_SECRET: the test email goes through the signed webhook." };
  const parsed = testEmailSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0].message };
  const { from, to, subject, text, inReplyTo } = parsed.data;
  const id = randomUUID();
  const recipients = [to || env().SUPPORT_EMAIL];
  const message: ReceivedEmail = {
    object: "email",
    id,
    to: recipients,
    from,
    created_at: new Date().toISOString(),
    subject,
    bcc: null,
    cc: null,
    reply_to: null,
    received_for: recipients,
    html: null,
    text,
    headers: inReplyTo ? { "In-Reply-To": inReplyTo, References: inReplyTo } : {},
    message_id: `<${id}@dev-mailbox.invalid>`,
    attachments: [],
  };
  await db.insert(devReceivedEmails).values({ emailId: id, message: message as unknown as Record<string, unknown> });
  const body = receivedEvent(message);
  const answer = await handleResendWebhook(db, body, new Headers(svixHeaders(secret, body)));
  return answer.status === 200 ? { ok: true } : { ok: false, error: answer.body.error ?? "The webhook refused it." };
}
