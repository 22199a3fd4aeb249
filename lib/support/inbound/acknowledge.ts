// Acknowledgements of new emailed requests, sent after the filing commits:
// threaded, marked automatic (RFC 3834), up to 100 per batch send. A batch the
// provider refuses for now (429, 5xx, the network) is sent again under the
// same Idempotency-Key after its Retry-After, a few times: in a flood at the
// provider's rate limit that slows the filing, which waits for the previous
// round's acknowledgements, instead of losing them. A batch refused for good
// (one bad address) is sent one by one. A lost acknowledgement is logged,
// never a reason to file an email again.
import { createHash } from "node:crypto";
import { createElement } from "react";
import type { Db } from "@/db/client";
import { deferSends } from "@/lib/campaigns/rate-window";
import { emailTransport, sendEmail, sendEmails, slotted, TransportError } from "@/lib/email";
import { emailBrand } from "@/lib/email/brand";
import SupportConfirmationEmail, { supportConfirmationSubject } from "@/emails/support-confirmation";
import type { Ack } from "./file";

// Rendered once, filled per send: a flood of emails is not a flood of renders.
const confirmation = (ack: Ack, brand: ReturnType<typeof emailBrand>) =>
  slotted("support-confirmation", { brand }, { reference: ack.reference }, ({ reference }) =>
    createElement(SupportConfirmationEmail, { reference, brand }),
  );

const ATTEMPTS = 4;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * `send` again while the provider refuses for now, after its Retry-After (else
 * 1, 2, 4 s; at most 30 s). A 429 also holds back the campaign and bulk-answer
 * workers through the shared rate window (lib/campaigns/rate-window.ts), as
 * their own 429s do.
 */
async function whileRefusedForNow<T>(db: Db, send: () => Promise<T>, waitMs: (ms: number) => Promise<void>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      if (!(error instanceof TransportError) || !error.transient || attempt >= ATTEMPTS) throw error;
      const seconds = Math.min(30, error.retryAfterSeconds ?? 2 ** (attempt - 1));
      if (error.status === 429) await deferSends(db, emailTransport().name, seconds);
      await waitMs(seconds * 1000);
    }
  }
}

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

/** Acknowledgements after the commit: up to 100 per batch send, retried while refused for now; a batch refused for good is sent one by one. */
export async function sendAcknowledgements(db: Db, acks: readonly Ack[], waitMs: (ms: number) => Promise<void> = sleep): Promise<void> {
  const brand = emailBrand();
  for (let start = 0; start < acks.length; start += 100) {
    const chunk = acks.slice(start, start + 100);
    if (chunk.length === 1) {
      await whileRefusedForNow(db, () => sendAcknowledgement(db, chunk[0]), waitMs).catch((error: Error) => {
        // The request is safely filed; a lost acknowledgement is only logged.
        console.error(`[inbound] acknowledgement for ${chunk[0].reference} failed: ${error.message}`);
      });
      continue;
    }
    const key = createHash("sha256").update(chunk.map((a) => a.reference).join(",")).digest("hex").slice(0, 40);
    try {
      await whileRefusedForNow(
        db,
        () =>
          sendEmails(
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
          ),
        waitMs,
      );
    } catch (error) {
      if (error instanceof TransportError && error.transient) {
        // Still refused after its retries: one by one, they would only be refused a hundred times more.
        console.error(`[inbound] ${chunk.length} acknowledgements lost: the provider refused their batch ${ATTEMPTS} times (${error.message})`);
        continue;
      }
      console.error(`[inbound] a batch of ${chunk.length} acknowledgements failed (${(error as Error).message}); sending them one by one`);
      for (const ack of chunk) {
        await sendAcknowledgement(db, ack).catch((e: Error) => {
          console.error(`[inbound] acknowledgement for ${ack.reference} failed: ${e.message}`);
        });
      }
    }
  }
}
