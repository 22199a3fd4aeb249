// The inbound pipeline after the webhook (decision 0007): claim due events
// (a lease, so two instances never take the same one), fetch their messages
// concurrently, file them together in one transaction (each in its own if
// that fails), then acknowledge them in batch sends. A failed
// fetch is retried with backoff; the event is kept whatever happens.
import { createHash } from "node:crypto";
import { createElement } from "react";
import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { sendEmail, sendEmails, slotted } from "@/lib/email";
import { emailBrand } from "@/lib/email/brand";
import SupportConfirmationEmail, { supportConfirmationSubject } from "@/emails/support-confirmation";
import { fetchReceivedEmail, FetchError } from "./fetch";
import { fileInbound, fileInboundBatch, type Ack, type Fetched, type Filed } from "./file";

/** After this many failed fetches the event is marked failed (kept, never deleted). */
export const MAX_ATTEMPTS = 10;
const LEASE_SECONDS = 60;

export function backoffSeconds(attempts: number): number {
  return Math.min(3600, 2 ** Math.max(0, attempts - 1));
}

type Claimed = { id: number; email_id: string; attempts: number };

async function claimDue(db: Db, limit: number): Promise<Claimed[]> {
  const rows = rowsOf<{ id: number | string; email_id: string; attempts: number | string }>(
    await db.execute(sql`
      update inbound_events set attempts = attempts + 1,
        next_attempt_at = now() + make_interval(secs => ${LEASE_SECONDS})
      where id in (
        select id from inbound_events where status = 'pending' and next_attempt_at <= now()
        order by id limit ${limit} for update skip locked)
      returning id, email_id, attempts`),
  );
  // bigint comes back as a string from the postgres driver
  return rows.map((r) => ({ id: Number(r.id), email_id: r.email_id, attempts: Number(r.attempts) }));
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
          template: slotted("support-confirmation", { brand }, { reference: ack.reference }, ({ reference }) =>
            createElement(SupportConfirmationEmail, { reference, brand }),
          ),
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

/**
 * One round: up to `limit` due events, fetched `concurrency` at a time (SDK calls in parallel), filed
 * together in one transaction; if that fails, each is filed in its own, so that
 * one bad email does not hold back the others.
 */
export async function processDueInbound(db: Db, { limit = 100, concurrency = 32 } = {}): Promise<Round> {
  const claimed = await claimDue(db, limit);
  const fetched: (Fetched & { event: Claimed })[] = [];
  let retried = 0;
  let next = 0;
  const lane = async () => {
    while (next < claimed.length) {
      const event = claimed[next++];
      try {
        fetched.push({ eventId: event.id, email: await fetchReceivedEmail(db, event.email_id), event });
      } catch (error) {
        retried++;
        await markFailedAttempt(db, event, error as Error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, claimed.length) }, lane));
  fetched.sort((a, b) => a.eventId - b.eventId); // filed in arrival order, as one by one

  let filed: Filed[] = [];
  try {
    filed = fetched.length > 1 ? await fileInboundBatch(db, fetched) : [];
  } catch (error) {
    console.error(`[inbound] filing ${fetched.length} events together failed (${(error as Error).message}); filing them one by one`);
  }
  if (filed.length !== fetched.length) {
    filed = [];
    for (const item of fetched) {
      try {
        filed.push(await fileInbound(db, item.eventId, item.email));
      } catch (error) {
        retried++;
        await markFailedAttempt(db, item.event, error as Error);
      }
    }
  }
  await sendAcknowledgements(db, filed.flatMap((f) => (f.ack ? [f.ack] : [])));
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
