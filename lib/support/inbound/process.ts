// The inbound pipeline after the webhook (decision 0007): claim due events
// (a lease, so two instances never take the same one), fetch their messages
// concurrently, file each in its own transaction, then acknowledge. A failed
// fetch is retried with backoff; the event is kept whatever happens.
import { createElement } from "react";
import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { sendEmail, slotted } from "@/lib/email";
import { emailBrand } from "@/lib/email/brand";
import SupportConfirmationEmail, { supportConfirmationSubject } from "@/emails/support-confirmation";
import { fetchReceivedEmail, FetchError } from "./fetch";
import { fileInbound, type Ack, type Filed } from "./file";

/** After this many failed fetches the event is marked failed (kept, never deleted). */
export const MAX_ATTEMPTS = 10;
const LEASE_SECONDS = 60;

export function backoffSeconds(attempts: number): number {
  return Math.min(3600, 2 ** Math.max(0, attempts - 1));
}

type Claimed = { id: number; email_id: string; attempts: number };

async function claimDue(db: Db, limit: number): Promise<Claimed[]> {
  return rowsOf<Claimed>(
    await db.execute(sql`
      update inbound_events set attempts = attempts + 1,
        next_attempt_at = now() + make_interval(secs => ${LEASE_SECONDS})
      where id in (
        select id from inbound_events where status = 'pending' and next_attempt_at <= now()
        order by id limit ${limit} for update skip locked)
      returning id, email_id, attempts`),
  );
}

async function markFailedAttempt(db: Db, event: Claimed, error: Error): Promise<void> {
  console.error(`[inbound] event ${event.id}, attempt ${event.attempts}: ${error.message.slice(0, 200)}`);
  const permanent = error instanceof FetchError && error.permanent;
  const failed = permanent || event.attempts >= MAX_ATTEMPTS;
  await db.execute(sql`
    update inbound_events set last_error = ${error.message.slice(0, 500)},
      status = ${failed ? "failed" : "pending"},
      next_attempt_at = now() + make_interval(secs => ${backoffSeconds(event.attempts)})
    where id = ${event.id}`);
}

/**
 * The acknowledgement of a new emailed request: threaded, marked automatic
 * (RFC 3834). Its Message-ID and headers were fixed when the request was filed.
 */
export async function sendAcknowledgement(db: Db, ack: Ack): Promise<void> {
  const brand = emailBrand();
  // Rendered once, filled per send: a flood of emails is not a flood of renders.
  const template = slotted("support-confirmation", { brand }, { reference: ack.reference }, ({ reference }) =>
    createElement(SupportConfirmationEmail, { reference, brand }),
  );
  await sendEmail(db, {
    to: ack.to,
    subject: supportConfirmationSubject(ack.reference),
    template,
    kind: "support_confirmation",
    userId: ack.userId,
    idempotencyKey: `support-confirmation-${ack.reference}`,
    replyTo: ack.replyTo,
    headers: ack.headers,
  });
}

export type Round = { claimed: number; filed: Filed[]; retried: number };

/** One round: up to `limit` due events, fetched `concurrency` at a time. */
export async function processDueInbound(db: Db, { limit = 50, concurrency = 8 } = {}): Promise<Round> {
  const claimed = await claimDue(db, limit);
  const filed: Filed[] = [];
  let retried = 0;
  let next = 0;
  const lane = async () => {
    while (next < claimed.length) {
      const event = claimed[next++];
      try {
        const email = await fetchReceivedEmail(db, event.email_id);
        const result = await fileInbound(db, event.id, email);
        filed.push(result);
        if (result.ack) {
          await sendAcknowledgement(db, result.ack).catch((error: Error) => {
            // The request is safely filed; a lost acknowledgement is only logged.
            console.error(`[inbound] acknowledgement for ${result.ack?.reference} failed: ${error.message}`);
          });
        }
      } catch (error) {
        retried++;
        await markFailedAttempt(db, event, error as Error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, claimed.length) }, lane));
  return { claimed: claimed.length, filed, retried };
}

/** Seconds until the next pending event is due, or null when none waits. */
export async function nextDueInSeconds(db: Db): Promise<number | null> {
  const [row] = rowsOf<{ secs: number | string | null }>(
    await db.execute(sql`
      select extract(epoch from (min(next_attempt_at) - now())) as secs
      from inbound_events where status = 'pending'`),
  );
  return row?.secs === null || row?.secs === undefined ? null : Math.max(0, Number(row.secs));
}
