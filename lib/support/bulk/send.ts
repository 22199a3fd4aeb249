// The emails of a bulk answer, after the bookkeeping committed: up to 100
// recorded deliveries per provider call, each to its own customer on its own
// thread, under an idempotency key derived from the deliveries. The chunks are
// always "the first 100 not yet emailed, by request", so a runner resumed
// after a crash between the send and its bookkeeping sends the very same
// batch (same key, same bytes: the stored headers and the job's fixed text)
// and the provider — or the outbox — answers it without sending again.
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { createElement } from "react";
import { rowsOf, type Db } from "@/db/client";
import { acquireSendSlot, deferSends } from "@/lib/campaigns/rate-window";
import { emailTransport, sendEmails, slotted, TransportError, type SlottedTemplate } from "@/lib/email";
import { emailBrand } from "@/lib/email/brand";
import { env } from "@/lib/env";
import SupportReplyEmail, { supportReplySubject } from "@/emails/support-reply";
import { fillPlaceholders } from "../saved-replies";
import { replyAddressFor } from "../threading";
import { renewLease } from "./lease";

export const SEND_CHUNK = 100;

export type SendOutcome = "ok" | "lost" | "failed" | "retry-later" | "stopped";

type Pending = {
  request_id: number | string;
  seen_message_id: number | string;
  email_headers: Record<string, string> | string | null;
  email: string;
  name: string;
  reference: string;
  user_id: number | string | null;
};

export type SendContext = {
  jobId: number;
  body: string;
  owner: string;
  leaseSeconds: number;
  /** when this runner last extended its lease (the runner updates it after each batch) */
  lease: { renewedAt: number };
  signal?: AbortSignal;
  maxTries?: number;
  log?: (line: string) => void;
};

/** The saved reply's Markdown rendered once per job, each customer's values filled in per email. */
export function bulkReplyTemplate(body: string, values: { name: string; email: string; reference: string }): SlottedTemplate {
  const brand = emailBrand();
  return slotted("support-bulk-reply", { brand, body }, values, (slots) =>
    createElement(SupportReplyEmail, { brand, reference: slots.reference, body: "", markdown: fillPlaceholders(body, slots) }),
  );
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });

function backoffMs(attempt: number) {
  const base = Math.min(8000, 250 * 2 ** attempt);
  return base / 2 + Math.random() * (base / 2);
}

/** Extends the lease once a third of it has passed; false when the job is no longer this runner's. */
async function keepLease(db: Db, ctx: SendContext): Promise<boolean> {
  if (Date.now() - ctx.lease.renewedAt < (ctx.leaseSeconds * 1000) / 3) return true;
  if (!(await renewLease(db, ctx.jobId, ctx.owner, ctx.leaseSeconds))) return false;
  ctx.lease.renewedAt = Date.now();
  return true;
}

/** Sends every recorded delivery of the job not emailed yet, chunk by chunk. */
export async function sendPendingDeliveries(db: Db, ctx: SendContext): Promise<SendOutcome> {
  for (;;) {
    if (ctx.signal?.aborted) return "stopped";
    if (!(await keepLease(db, ctx))) return "lost";
    const pending = rowsOf<Pending>(
      await db.execute(sql`
        select d.request_id, d.seen_message_id, d.email_headers, r.email, r.name, r.reference, r.user_id
        from bulk_deliveries d join support_requests r on r.id = d.request_id
        where d.bulk_answer_id = ${ctx.jobId} and d.emailed_at is null
        order by d.request_id limit ${SEND_CHUNK}`),
    );
    if (pending.length === 0) return "ok";
    const outcome = await sendChunk(db, ctx, pending);
    if (outcome !== "ok") return outcome;
  }
}

async function sendChunk(db: Db, ctx: SendContext, pending: Pending[]): Promise<SendOutcome> {
  const key = createHash("sha256")
    .update(pending.map((p) => `${p.request_id}:${p.seen_message_id}`).join(","))
    .digest("hex")
    .slice(0, 40);
  const inputs = pending.map((p) => ({
    to: p.email,
    subject: supportReplySubject(p.reference),
    template: bulkReplyTemplate(ctx.body, { name: p.name, email: p.email, reference: p.reference }),
    kind: "support_reply",
    userId: p.user_id === null ? null : Number(p.user_id),
    replyTo: replyAddressFor(p.reference),
    headers: typeof p.email_headers === "string" ? (JSON.parse(p.email_headers) as Record<string, string>) : (p.email_headers ?? {}),
  }));
  const ids = sql.join(
    pending.map((p) => sql`${Number(p.request_id)}`),
    sql`, `,
  );
  const transport = emailTransport();
  const maxTries = ctx.maxTries ?? 6;
  let lastError = "";
  for (let attempt = 0; attempt < maxTries; attempt++) {
    if (ctx.signal?.aborted) return "stopped";
    if (!(await keepLease(db, ctx))) return "lost";
    if (transport.name !== "outbox") {
      // Bulk answers share the provider's rate with campaigns (SPEC 4.8).
      if (!(await acquireSendSlot(db, transport.name, env().CAMPAIGN_CALLS_PER_SECOND, ctx.signal))) return "stopped";
    }
    try {
      // The send, its sent_emails rows and "emailed" commit together (the
      // outbox is in the same transaction; a provider call retried after a
      // failed commit is answered from its idempotency key).
      await db.transaction(async (tx) => {
        await sendEmails(tx as unknown as Db, inputs, `bulk-${ctx.jobId}-${key}`);
        await tx.execute(sql`
          update bulk_deliveries set emailed_at = now()
          where bulk_answer_id = ${ctx.jobId} and request_id in (${ids}) and emailed_at is null`);
      });
      return "ok";
    } catch (error) {
      if (!(error instanceof TransportError)) throw error;
      lastError = `${error.status ?? "network"}: ${error.message}`.slice(0, 500);
      ctx.log?.(`Bulk answer ${ctx.jobId}: ${lastError}`);
      if (error.status === 429) {
        await deferSends(db, transport.name, error.retryAfterSeconds ?? 1);
        continue;
      }
      const permanent = error.status === 409 ? /payload/i.test(error.message) : !error.transient;
      if (permanent) {
        await db.execute(sql`
          update bulk_answers set status = 'failed', last_error = ${lastError}, lease_owner = null, lease_until = null, updated_at = now()
          where id = ${ctx.jobId} and lease_owner = ${ctx.owner}`);
        return "failed";
      }
      await sleep(backoffMs(attempt), ctx.signal);
    }
  }
  await db.execute(sql`update bulk_answers set last_error = ${lastError}, updated_at = now() where id = ${ctx.jobId}`);
  return "retry-later";
}
