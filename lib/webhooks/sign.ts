// Signs an event as Svix does (v1: HMAC-SHA256 of "id.timestamp.body" with the
// base64 key after whsec_): used by /dev/mailbox to send a test email into the
// desk through the real webhook, and by tests. Verification stays the SDK's.
import { createHmac, randomBytes } from "node:crypto";

export function svixHeaders(secret: string, body: string, opts: { id?: string; at?: number } = {}): Record<string, string> {
  const id = opts.id ?? `msg_${randomBytes(12).toString("hex")}`;
  const timestamp = String(Math.floor((opts.at ?? Date.now()) / 1000));
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const signature = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
  return { "svix-id": id, "svix-timestamp": timestamp, "svix-signature": `v1,${signature}`, "content-type": "application/json" };
}

/** The email.received event for a stored message: metadata only, as Resend sends it. */
export function receivedEvent(email: {
  id: string;
  from: string;
  to: string[];
  cc?: string[] | null;
  bcc?: string[] | null;
  received_for?: string[];
  subject: string;
  message_id: string;
  attachments?: { id: string; filename: string | null; content_type: string; content_disposition: string | null; content_id: string | null }[];
}): string {
  return JSON.stringify({
    type: "email.received",
    created_at: new Date().toISOString(),
    data: {
      email_id: email.id,
      created_at: new Date().toISOString(),
      from: email.from,
      to: email.to,
      cc: email.cc ?? [],
      bcc: email.bcc ?? [],
      received_for: email.received_for ?? email.to,
      message_id: email.message_id,
      subject: email.subject,
      attachments: (email.attachments ?? []).map(({ id, filename, content_type, content_disposition, content_id }) => ({
        id,
        filename,
        content_type,
        content_disposition,
        content_id,
      })),
    },
  });
}
