// Sending one email: render a React Email template to HTML and plain text,
// hand it to the transport, and record it (sent_emails) so that agents can see
// what a customer was sent and its delivery state.
import { render } from "@react-email/render";
import { sql } from "drizzle-orm";
import type { ReactElement } from "react";
import { executePrepared, type Db } from "@/db/client";
import { sentEmails } from "@/db/schema";
import { renderSlotted, type SlottedTemplate } from "./slots";
import { emailTransport, type OutgoingEmail } from "./transport";

export { emailTransport, TransportError } from "./transport";
export { slotted, type SlottedTemplate } from "./slots";
export type { EmailTransport, OutgoingEmail } from "./transport";

export async function renderEmail(element: ReactElement): Promise<{ html: string; text: string }> {
  const [html, text] = await Promise.all([render(element), render(element, { plainText: true })]);
  return { html, text };
}

export type SendInput = {
  to: string;
  subject: string;
  /** A React Email element, or a slotted one (lib/email/slots.ts) on busy paths. */
  template: ReactElement | SlottedTemplate;
  /** what the email is, for the support desk: reset_link, password_changed, support_reply… */
  kind: string;
  userId?: number | null;
  idempotencyKey?: string;
  replyTo?: string;
  headers?: Record<string, string>;
};

async function outgoing(input: SendInput): Promise<OutgoingEmail> {
  const template = input.template;
  const { html, text } =
    "kind" in template && template.kind === "slotted"
      ? await renderSlotted(template, renderEmail)
      : await renderEmail(template as ReactElement);
  return {
    to: input.to,
    subject: input.subject,
    html,
    text,
    tags: [{ name: "kind", value: input.kind }],
    ...(input.replyTo ? { replyTo: input.replyTo } : {}),
    ...(input.headers ? { headers: input.headers } : {}),
  };
}

const sentRow = (input: SendInput, providerMessageId: string) => ({
  to: input.to,
  userId: input.userId ?? null,
  kind: input.kind,
  subject: input.subject,
  status: "sent",
  providerMessageId,
  messageId: input.headers?.["Message-ID"] ?? null,
});

/**
 * Up to 100 emails in one transport call (Resend's batch send) and one insert
 * of their sent_emails rows: for busy paths (a flood of acknowledgements).
 */
export async function sendEmails(db: Db, inputs: SendInput[], idempotencyKey: string): Promise<{ ids: string[] }> {
  if (inputs.length === 0) return { ids: [] };
  if (inputs.length > 100) throw new Error("A batch holds at most 100 emails.");
  const emails = await Promise.all(inputs.map(outgoing));
  const { ids } = await emailTransport().sendBatch(db, emails, idempotencyKey);
  // One JSON parameter for the whole batch: the statement is prepared once, whatever its size.
  const rows = inputs.map((input, i) => {
    const row = sentRow(input, ids[i]);
    return { n: i, to: row.to, user_id: row.userId, kind: row.kind, subject: row.subject, status: row.status, provider_message_id: row.providerMessageId, message_id: row.messageId };
  });
  await executePrepared(
    db,
    sql`
    insert into sent_emails ("to", user_id, kind, subject, status, provider_message_id, message_id)
    select x."to", x.user_id, x.kind, x.subject, x.status, x.provider_message_id, x.message_id
    from json_to_recordset(${JSON.stringify(rows)}::json)
      as x(n int, "to" text, user_id bigint, kind text, subject text, status text, provider_message_id text, message_id text)
    order by x.n`,
  );
  return { ids };
}

export async function sendEmail(db: Db, input: SendInput): Promise<{ id: string }> {
  const email = await outgoing(input);
  const { id } = await emailTransport().send(db, email, input.idempotencyKey);
  await db.insert(sentEmails).values(sentRow(input, id));
  return { id };
}
