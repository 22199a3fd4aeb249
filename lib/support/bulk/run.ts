// Running a bulk answer, in the shape of the expiry (lib/expiry): targets in
// request-id order, one batch per transaction committed with the cursor, so a
// runner killed at any point resumes where the last commit ended. A lease
// (owner + expiry, renewed as it goes) keeps one runner per job; a crashed
// runner's lease runs out and the next runner takes over.
//
// Per batch, in one transaction: each target is left out when its request was
// merged ("closed") or has a customer message newer than the one the agent saw
// ("stale"); the rest insert their bulk_deliveries row ON CONFLICT DO NOTHING
// — the key (request, saved reply, message seen) makes any second sending of
// the same answer to the same message a "duplicate" — and, for those that won,
// the reply message, the thread's Message-ID and headers, the request's new
// status and an audit event naming the agent. The emails follow the commit
// (send.ts).
import { randomBytes } from "node:crypto";
import os from "node:os";
import { inArray, sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { supportRequests } from "@/db/schema";
import { recordAudit, recordAudits } from "@/lib/audit";
import { env } from "@/lib/env";
import { markdownToPlainText } from "@/lib/incident/markdown";
import { fillPlaceholders } from "../saved-replies";
import { newMessageId, REFERENCES_CAP } from "../threading";
import { sendPendingDeliveries, type SendOutcome } from "./send";

export type RunOptions = {
  owner?: string;
  batchSize?: number;
  leaseSeconds?: number;
  signal?: AbortSignal;
  maxTries?: number;
  log?: (line: string) => void;
  onProgress?: (progress: { processed: number; total: number; sent: number; skipped: number }) => void;
  /** tests: after each committed batch, before its emails are sent */
  afterBatch?: (batch: { number: number; cursor: number }) => void | Promise<void>;
};

export type RunResult = {
  /** done: finished now; finished: was not running; busy: another runner holds the lease */
  state: "done" | "finished" | "busy" | "missing" | Exclude<SendOutcome, "ok">;
};

export function newRunnerId(): string {
  return `${os.hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
}

type JobRow = { status: string; lease_owner: string | null; cursor: number | string; saved_reply_id: number | string; body: string; mark_resolved: boolean; created_by: number | string; total: number | string; processed: number | string; sent: number | string; skipped: number | string };

async function claimLease(db: Db, jobId: number, owner: string, leaseSeconds: number): Promise<"ok" | "busy" | "finished" | "missing"> {
  const won = rowsOf(
    await db.execute(sql`
      update bulk_answers set lease_owner = ${owner}, lease_until = now() + make_interval(secs => ${leaseSeconds}), updated_at = now()
      where id = ${jobId} and status = 'running'
        and (lease_owner is null or lease_until is null or lease_until < now() or lease_owner = ${owner})
      returning id`),
  );
  if (won.length === 1) return "ok";
  const [row] = rowsOf<{ status: string }>(await db.execute(sql`select status from bulk_answers where id = ${jobId}`));
  if (!row) return "missing";
  return row.status === "running" ? "busy" : "finished";
}

async function releaseLease(db: Db, jobId: number, owner: string) {
  await db.execute(sql`update bulk_answers set lease_owner = null, lease_until = null where id = ${jobId} and lease_owner = ${owner}`);
}

const list = (values: readonly (number | string)[]) => sql.join(values.map((v) => sql`${Number(v)}`), sql`, `);

type Outcome = "sent" | "stale" | "duplicate" | "closed";

/** One batch of targets in one transaction. "empty": no targets left after the cursor. */
async function processNextBatch(
  db: Db,
  jobId: number,
  owner: string,
  leaseSeconds: number,
  batchSize: number,
): Promise<{ state: "lost" | "empty" } | { state: "done"; cursor: number; progress: { processed: number; total: number; sent: number; skipped: number } }> {
  return db.transaction(async (tx) => {
    const [job] = rowsOf<JobRow>(
      await tx.execute(sql`
        select status, lease_owner, cursor, saved_reply_id, body, mark_resolved, created_by, total, processed, sent, skipped
        from bulk_answers where id = ${jobId} for update`),
    );
    if (!job || job.status !== "running" || job.lease_owner !== owner) return { state: "lost" as const };
    const targets = rowsOf<{ request_id: number | string; seen_message_id: number | string }>(
      await tx.execute(sql`
        select request_id, seen_message_id from bulk_answer_targets
        where bulk_answer_id = ${jobId} and request_id > ${Number(job.cursor)}
        order by request_id limit ${batchSize}`),
    );
    if (targets.length === 0) return { state: "empty" as const };
    const ids = targets.map((t) => Number(t.request_id));
    // The rows lock against a merge or a status change while the batch decides.
    const requests = rowsOf<{ id: number | string; reference: string; email: string; name: string; user_id: number | string | null; status: string }>(
      await tx.execute(sql`
        select id, reference, email, name, user_id, status from support_requests
        where id in (${list(ids)}) order by id for update`),
    );
    const byId = new Map(requests.map((r) => [Number(r.id), r]));
    const newest = new Map(
      rowsOf<{ request_id: number | string; newest: number | string }>(
        await tx.execute(sql`
          select request_id, max(id) as newest from support_messages
          where request_id in (${list(ids)}) and kind = 'customer' group by request_id`),
      ).map((r) => [Number(r.request_id), Number(r.newest)]),
    );

    const outcome = new Map<number, Outcome>();
    const candidates: { id: number; seen: number }[] = [];
    for (const t of targets) {
      const id = Number(t.request_id);
      const seen = Number(t.seen_message_id);
      const request = byId.get(id);
      if (!request || request.status === "merged") outcome.set(id, "closed");
      else if ((newest.get(id) ?? 0) > seen) outcome.set(id, "stale");
      else candidates.push({ id, seen });
    }

    const savedReplyId = Number(job.saved_reply_id);
    let won: number[] = [];
    if (candidates.length > 0) {
      const chains = new Map<number, string[]>();
      for (const row of rowsOf<{ request_id: number | string; message_id: string }>(
        await tx.execute(sql`
          select request_id, message_id from (
            select request_id, message_id, created_at,
              row_number() over (partition by request_id order by created_at desc, message_id desc) as n
            from support_thread_ids where request_id in (${list(candidates.map((c) => c.id))})
          ) t where n <= ${REFERENCES_CAP} order by request_id, created_at, message_id`),
      )) {
        const id = Number(row.request_id);
        chains.set(id, [...(chains.get(id) ?? []), row.message_id]);
      }
      const headers = new Map<number, Record<string, string>>();
      for (const c of candidates) {
        const chain = chains.get(c.id) ?? [];
        const h: Record<string, string> = { "Message-ID": newMessageId() };
        if (chain.length > 0) {
          h["In-Reply-To"] = chain[chain.length - 1];
          h.References = chain.join(" ");
        }
        headers.set(c.id, h);
      }
      won = rowsOf<{ request_id: number | string }>(
        await tx.execute(sql`
          insert into bulk_deliveries (request_id, saved_reply_id, seen_message_id, bulk_answer_id, email_headers)
          values ${sql.join(
            candidates.map((c) => sql`(${c.id}, ${savedReplyId}, ${c.seen}, ${jobId}, ${JSON.stringify(headers.get(c.id))}::jsonb)`),
            sql`, `,
          )}
          on conflict do nothing returning request_id`),
      ).map((r) => Number(r.request_id));
      for (const c of candidates) outcome.set(c.id, won.includes(c.id) ? "sent" : "duplicate");

      if (won.length > 0) {
        const bodyOf = (id: number) => {
          const r = byId.get(id)!;
          return markdownToPlainText(fillPlaceholders(job.body, { name: r.name, email: r.email, reference: r.reference }));
        };
        const messages = rowsOf<{ id: number | string; request_id: number | string }>(
          await tx.execute(sql`
            insert into support_messages (request_id, kind, channel, author_id, body, bulk_answer_id)
            values ${sql.join(
              won.map((id) => sql`(${id}, 'reply', 'desk', ${Number(job.created_by)}, ${bodyOf(id)}, ${jobId})`),
              sql`, `,
            )}
            returning id, request_id`),
        );
        await tx.execute(sql`
          update bulk_deliveries d set message_id = v.message_id
          from (values ${sql.join(messages.map((m) => sql`(${Number(m.request_id)}::int8, ${Number(m.id)}::int8)`), sql`, `)}) as v(request_id, message_id)
          where d.request_id = v.request_id and d.saved_reply_id = ${savedReplyId} and d.bulk_answer_id = ${jobId}`);
        await tx.execute(sql`
          insert into support_thread_ids (message_id, request_id, ours)
          values ${sql.join(won.map((id) => sql`(${headers.get(id)!["Message-ID"]}, ${id}, true)`), sql`, `)}
          on conflict do nothing`);
        const now = new Date();
        await tx
          .update(supportRequests)
          .set(job.mark_resolved ? { status: "resolved", resolvedAt: now, updatedAt: now } : { status: "waiting", resolvedAt: null, updatedAt: now })
          .where(inArray(supportRequests.id, won));
        await recordAudits(
          tx,
          won.map((id) => {
            const r = byId.get(id)!;
            return {
              action: "support.bulk_replied" as const,
              actorId: Number(job.created_by),
              subjectId: r.user_id === null ? null : Number(r.user_id),
              detail: { requestId: id, reference: r.reference, bulkAnswerId: jobId, resolved: job.mark_resolved },
            };
          }),
        );
      }
    }

    await tx.execute(sql`
      update bulk_answer_targets t set outcome = v.outcome, processed_at = now()
      from (values ${sql.join(ids.map((id) => sql`(${id}::int8, ${outcome.get(id)!})`), sql`, `)}) as v(request_id, outcome)
      where t.bulk_answer_id = ${jobId} and t.request_id = v.request_id`);
    const cursor = ids[ids.length - 1];
    const progress = {
      processed: Number(job.processed) + ids.length,
      total: Number(job.total),
      sent: Number(job.sent) + won.length,
      skipped: Number(job.skipped) + ids.length - won.length,
    };
    await tx.execute(sql`
      update bulk_answers set cursor = ${cursor}, processed = ${progress.processed}, sent = ${progress.sent},
        skipped = ${progress.skipped}, lease_until = now() + make_interval(secs => ${leaseSeconds}), updated_at = now()
      where id = ${jobId}`);
    return { state: "done" as const, cursor, progress };
  });
}

/** Marks the job done when every target is processed and every delivery emailed. */
async function finish(db: Db, jobId: number, owner: string): Promise<boolean> {
  const [done] = rowsOf<{ created_by: number | string; sent: number; skipped: number; total: number }>(
    await db.execute(sql`
      update bulk_answers b set status = 'done', finished_at = now(), lease_owner = null, lease_until = null,
        last_error = null, updated_at = now()
      where b.id = ${jobId} and b.lease_owner = ${owner} and b.status = 'running'
        and not exists (select 1 from bulk_answer_targets t where t.bulk_answer_id = b.id and t.request_id > b.cursor)
        and not exists (select 1 from bulk_deliveries d where d.bulk_answer_id = b.id and d.emailed_at is null)
      returning b.created_by, b.sent, b.skipped, b.total`),
  );
  if (!done) return false;
  await recordAudit(db, {
    action: "support.bulk_answer_finished",
    actorId: Number(done.created_by),
    detail: { bulkAnswerId: jobId, sent: Number(done.sent), leftOut: Number(done.skipped), requests: Number(done.total) },
  });
  return true;
}

/** Runs (or resumes) a bulk answer to its end, unless another runner holds it. */
export async function runBulkAnswer(db: Db, jobId: number, options: RunOptions = {}): Promise<RunResult> {
  const settings = env();
  const owner = options.owner ?? newRunnerId();
  const leaseSeconds = options.leaseSeconds ?? settings.BULK_ANSWER_LEASE_SECONDS;
  const batchSize = Math.min(options.batchSize ?? settings.BULK_ANSWER_BATCH_SIZE, 100);
  const claimed = await claimLease(db, jobId, owner, leaseSeconds);
  if (claimed !== "ok") return { state: claimed };
  try {
    const [job] = rowsOf<{ body: string }>(await db.execute(sql`select body from bulk_answers where id = ${jobId}`));
    const send = { jobId, body: job.body, owner, leaseSeconds, signal: options.signal, maxTries: options.maxTries, log: options.log };
    for (let batch = 1; ; batch++) {
      // First whatever was recorded and not sent (a resumed job), then the next batch.
      const sent = await sendPendingDeliveries(db, send);
      if (sent !== "ok") return { state: sent };
      if (options.signal?.aborted) return { state: "stopped" };
      const step = await processNextBatch(db, jobId, owner, leaseSeconds, batchSize);
      if (step.state === "lost") return { state: "lost" };
      if (step.state !== "done") break;
      options.onProgress?.(step.progress);
      await options.afterBatch?.({ number: batch, cursor: step.cursor });
    }
    return { state: (await finish(db, jobId, owner)) ? "done" : "lost" };
  } finally {
    await releaseLease(db, jobId, owner);
  }
}
