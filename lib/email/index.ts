// Sending one email: render a React Email template to HTML and plain text,
// hand it to the transport, and record it (sent_emails) so that agents can see
// what a customer was sent and its delivery state.
import { render } from "@react-email/render";
import type { ReactElement } from "react";
import type { Db } from "@/db/client";
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

export async function sendEmail(db: Db, input: SendInput): Promise<{ id: string }> {
  const template = input.template;
  const { html, text } =
    "kind" in template && template.kind === "slotted"
      ? await renderSlotted(template, renderEmail)
      : await renderEmail(template as ReactElement);
  const email: OutgoingEmail = {
    to: input.to,
    subject: input.subject,
    html,
    text,
    tags: [{ name: "kind", value: input.kind }],
    ...(input.replyTo ? { replyTo: input.replyTo } : {}),
    ...(input.headers ? { headers: input.headers } : {}),
  };
  const { id } = await emailTransport().send(db, email, input.idempotencyKey);
  await db.insert(sentEmails).values({
    to: input.to,
    userId: input.userId ?? null,
    kind: input.kind,
    subject: input.subject,
    status: "sent",
    providerMessageId: id,
    messageId: input.headers?.["Message-ID"] ?? null,
  });
  return { id };
}
