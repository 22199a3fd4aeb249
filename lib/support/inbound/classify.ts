// What an inbound email is, decided from the fetched message alone (no
// database): who sent it, whether it is automatic (no acknowledgement), a
// delivery report (a bounce, not a request), and its text as agents see it.
// The rules are decision 0007's.
import { convert } from "html-to-text";
import type { GetReceivingEmailResponseSuccess } from "resend";
import type { InboundAttachmentInfo } from "@/db/schema";
import { bareAddress, displayName, referencedIds } from "../threading";

export type ReceivedEmail = GetReceivingEmailResponseSuccess;

export type Classified = {
  sender: string;
  senderName: string;
  subject: string;
  body: string;
  fromHtml: boolean;
  truncated: boolean;
  attachments: InboundAttachmentInfo[];
  messageId: string | null;
  referenced: string[];
  recipients: string[];
  /** why no acknowledgement may go back, or null */
  automatic: string | null;
  deliveryReport: boolean;
};

const AUTOMATIC_SENDERS = /^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|bounces?)([+.-]|$)/;
// C0 controls except tab and newline, DEL and C1 controls: shown as text, but never as controls.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

export function lowerHeaders(headers: Record<string, string> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) out[k.toLowerCase()] = String(v ?? "");
  return out;
}

/** Text safe to store and show: line endings unified, control characters and lone surrogates removed. */
export function plain(value: string, max: number): string {
  return value.replace(/\r\n?/g, "\n").replace(CONTROL, "").toWellFormed().normalize("NFC").trim().slice(0, max).toWellFormed();
}

/** A header value kept as it is, minus what no database column takes (control characters, lone surrogates). */
function headerValue(value: string): string {
  return value.replace(CONTROL, "").toWellFormed();
}

/** Why an email is automatic (RFC 3834 and the de-facto headers), or null. */
export function automaticReason(
  headers: Record<string, string>,
  sender: string,
  ownDomains: readonly string[],
): string | null {
  const autoSubmitted = headers["auto-submitted"]?.trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== "no") return "auto-submitted";
  if (/^\s*(bulk|list|junk)\s*$/i.test(headers.precedence ?? "")) return "precedence";
  if ("x-auto-response-suppress" in headers) return "x-auto-response-suppress";
  if ("x-autoreply" in headers || "x-autorespond" in headers) return "x-autoreply";
  if ("list-unsubscribe" in headers || "list-id" in headers) return "mailing-list";
  const at = sender.lastIndexOf("@");
  if (AUTOMATIC_SENDERS.test(sender.slice(0, at))) return "automatic-sender";
  if (ownDomains.includes(sender.slice(at + 1))) return "own-domain";
  return null;
}

/** A delivery status notification: multipart/report, a mailer-daemon, or an empty return path. */
export function isDeliveryReport(headers: Record<string, string>, sender: string): boolean {
  if (/multipart\/report/i.test(headers["content-type"] ?? "")) return true;
  if (/^(mailer-daemon|postmaster)@/.test(sender)) return true;
  return headers["return-path"] !== undefined && /^\s*<\s*>\s*$/.test(headers["return-path"]);
}

export function bodyText(email: ReceivedEmail, maxBytes: number): { body: string; fromHtml: boolean; truncated: boolean } {
  let text = email.text ?? "";
  let fromHtml = false;
  if (!text.trim() && email.html) {
    // Shown as text, never rendered: links keep their address in brackets.
    text = convert(email.html.slice(0, maxBytes * 4), { wordwrap: false, selectors: [{ selector: "img", format: "skip" }] });
    fromHtml = true;
  }
  const size = Buffer.byteLength(text, "utf8");
  let body = plain(text, maxBytes);
  let truncated = false;
  if (Buffer.byteLength(body, "utf8") > maxBytes || size > maxBytes) {
    body = Buffer.from(body, "utf8").subarray(0, maxBytes).toString("utf8").replace(/\uFFFD$/, "");
    body += `\n\n[Truncated: the message had ${size} bytes of text; the first ${maxBytes} are kept.]`;
    truncated = true;
  }
  return { body: body || "(no text)", fromHtml, truncated };
}

export function classify(email: ReceivedEmail, options: { maxBytes: number; ownDomains: readonly string[] }): Classified {
  const headers = lowerHeaders(email.headers);
  const sender = headerValue(bareAddress(email.from ?? "").slice(0, 254));
  const senderName = plain(displayName(email.from ?? ""), 200);
  const { body, fromHtml, truncated } = bodyText(email, options.maxBytes);
  const messageId = headerValue((email.message_id || headers["message-id"] || "").trim().slice(0, 300)) || null;
  return {
    sender,
    senderName,
    subject: plain(email.subject ?? "", 300).replace(/\n/g, " ") || "(no subject)",
    body,
    fromHtml,
    truncated,
    attachments: (email.attachments ?? []).slice(0, 100).map((a) => ({
      filename: plain(a.filename ?? "(unnamed)", 200),
      contentType: plain(a.content_type ?? "application/octet-stream", 100),
      size: Number.isFinite(a.size) ? a.size : 0,
    })),
    messageId,
    referenced: referencedIds(headers["in-reply-to"], headers.references).map(headerValue),
    recipients: [...(email.to ?? []), ...(email.cc ?? []), ...(email.received_for ?? [])].map((r) => headerValue(bareAddress(r))),
    automatic: automaticReason(headers, sender, options.ownDomains),
    deliveryReport: isDeliveryReport(headers, sender),
  };
}
