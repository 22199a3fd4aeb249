// Acknowledgements of new emailed requests, sent after the filing commits:
// threaded, marked automatic (RFC 3834), up to 100 per batch send. A lost
// acknowledgement is logged, never a reason to file an email again.
import { createHash } from "node:crypto";
import { createElement } from "react";
import type { Db } from "@/db/client";
import { sendEmail, sendEmails, slotted } from "@/lib/email";
import { emailBrand } from "@/lib/email/brand";
import SupportConfirmationEmail, { supportConfirmationSubject } from "@/emails/support-confirmation";
import type { Ack } from "./file";

// Rendered once, filled per send: a flood of emails is not a flood of renders.
const confirmation = (ack: Ack, brand: ReturnType<typeof emailBrand>) =>
  slotted("support-confirmation", { brand }, { reference: ack.reference }, ({ reference }) =>
    createElement(SupportConfirmationEmail, { reference, brand }),
  );

/** One acknowledgement; its Message-ID and headers were fixed when the request was filed. */
async function sendAcknowledgement(db: Db, ack: Ack): Promise<void> {
  await sendEmail(db, {
    to: ack.to,
    subject: supportConfirmationSubject(ack.reference),
    template: confirmation(ack, emailBrand()),
    kind: "support_confirmation",
    userId: ack.userId,
    idempotencyKey: `support-confirmation-${ack.reference}`,
    replyTo: ack.replyTo,
    headers: ack.headers,
  });
}

/** Acknowledgements after the commit: up to 100 per batch send; a failed batch is sent one by one. */
export async function sendAcknowledgements(db: Db, acks: readonly Ack[]): Promise<void> {
  const brand = emailBrand();
  for (let start = 0; start < acks.length; start += 100) {
    const chunk = acks.slice(start, start + 100);
    if (chunk.length === 1) {
      await sendAcknowledgement(db, chunk[0]).catch((error: Error) => {
        // The request is safely filed; a lost acknowledgement is only logged.
        console.error(`[inbound] acknowledgement for ${chunk[0].reference} failed: ${error.message}`);
      });
      continue;
    }
    const key = createHash("sha256").update(chunk.map((a) => a.reference).join(",")).digest("hex").slice(0, 40);
    try {
      await sendEmails(
        db,
        chunk.map((ack) => ({
          to: ack.to,
          subject: supportConfirmationSubject(ack.reference),
          template: confirmation(ack, brand),
          kind: "support_confirmation",
          userId: ack.userId,
          replyTo: ack.replyTo,
          headers: ack.headers,
        })),
        `support-confirmations-${key}`,
      );
    } catch (error) {
      console.error(`[inbound] a batch of ${chunk.length} acknowledgements failed (${(error as Error).message}); sending them one by one`);
      for (const ack of chunk) {
        await sendAcknowledgement(db, ack).catch((e: Error) => {
          console.error(`[inbound] acknowledgement for ${ack.reference} failed: ${e.message}`);
        });
      }
    }
  }
}
