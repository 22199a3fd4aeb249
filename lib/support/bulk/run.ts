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
import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { recordAudit } from "@/lib/audit";
import { env } from "@/lib/env";
import { markdownToPlainText } from "@/lib/incident/markdown";
import { fillPlaceholders } from "../saved-replies";
import { newMessageId, REFERENCES_CAP } from "../threading";
import { claimLease, releaseLease } from "./lease";
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

type JobRow = { status: string; lease_owner: string | null; cursor: number | string; saved_reply_id: number | string; body: string; mark_resolved: boolean; created_by: number | string };

const list = (values: readonly (number | string)[]) => sql.join(values.map((v) => sql`${Number(v)}`), sql`, `);

type Outcome = "sent" | "stale" | "duplicate" | "closed";

type TargetRow = {
  request_id: number | string;
  seen_message_id: number | string;
  reference: string;
  email: string;
  name: string;
  user_id: number | string | null;
  status: string;
  newest: number | string | null;
  /** our and the customer's Message-IDs on the thread, newest REFERENCES_CAP, oldest first */
  chain: string[] | string | null;
};

/** The chain as JSON (both drivers parse json alike; a Message-ID may hold a comma). */
function chainOf(value: string[] | string | null): string[] {
  if (value === null) return [];
  return typeof value === "string" ? (JSON.parse(value) as string[]) : value;
}

/**
 * One batch of targets in one transaction, in few statements (the batch is
 * the unit of throughput): the job row; the targets with their requests
 * (locked against a merge or a status change while the batch decides), each
 * one's newest customer message and thread; one statement that records the
 * deliveries and, for those that won, the reply messages, the thread's new
 * Message-IDs and the requests' status, then every target's outcome and the
 * job's cursor; the audit events. "empty": no targets left after the cursor.
 */
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
        select status, lease_owner, cursor, saved_reply_id, body, mark_resolved, created_by
        from bulk_answers where id = ${jobId} for update`),
    );
    if (!job || job.status !== "running" || job.lease_owner !== owner) return { state: "lost" as const };
    const targets = rowsOf<TargetRow>(
      await tx.execute(sql`
        select t.request_id, t.seen_message_id, r.reference, r.email, r.name, r.user_id, r.status,
          (select max(m.id) from support_messages m where m.request_id = t.request_id and m.kind = 'customer') as newest,
          to_json(array(select x.message_id from (
            select i.message_id, i.created_at from support_thread_ids i where i.request_id = t.request_id
            order by i.created_at desc, i.message_id desc limit ${REFERENCES_CAP}) x
            order by x.created_at, x.message_id)) as chain
        from bulk_answer_targets t join support_requests r on r.id = t.request_id
        where t.bulk_answer_id = ${jobId} and t.request_id > ${Number(job.cursor)}
        order by t.request_id limit ${batchSize}
        for update of r`),
    );
    if (targets.length === 0) return { state: "empty" as const };

    const agentId = Number(job.created_by);
    const savedReplyId = Number(job.saved_reply_id);
    const outcome = new Map<number, Outcome>();
    const candidates: { row: TargetRow; id: number; seen: number; headers: Record<string, string>; body: string }[] = [];
    for (const t of targets) {
      const id = Number(t.request_id);
      const seen = Number(t.seen_message_id);
      if (t.status === "merged") outcome.set(id, "closed");
      else if (Number(t.newest ?? 0) > seen) outcome.set(id, "stale");
      else {
        const chain = chainOf(t.chain);
        const headers: Record<string, string> = { "Message-ID": newMessageId() };
        if (chain.length > 0) {
          headers["In-Reply-To"] = chain[chain.length - 1];
          headers.References = chain.join(" ");
        }
        const body = markdownToPlainText(fillPlaceholders(job.body, { name: t.name, email: t.email, reference: t.reference }));
        candidates.push({ row: t, id, seen, headers, body });
      }
    }
    const ids = targets.map((t) => Number(t.request_id));
    // Stale and closed are known now; "sent" or "duplicate" is decided by the delivery insert below.
    const resolved = job.mark_resolved;
    // The audit event of each reply sent (SPEC 4.9), written with it; its detail names no secret.
    const auditDetail = (c: (typeof candidates)[number]) =>
      JSON.stringify({ requestId: c.id, reference: c.row.reference, bulkAnswerId: jobId, resolved });
    const values = candidates.length
      ? sql.join(
          candidates.map(
            (c) =>
              sql`(${c.id}::int8, ${c.seen}::int8, ${JSON.stringify(c.headers)}::jsonb, ${c.headers["Message-ID"]}::text, ${c.body}::text, ${c.row.user_id === null ? null : Number(c.row.user_id)}::int8, ${auditDetail(c)}::jsonb)`,
          ),
          sql`, `,
        )
      : sql`(null::int8, null::int8, null::jsonb, null::text, null::text, null::int8, null::jsonb)`;
    const cursor = ids[ids.length - 1];
    const [written] = rowsOf<{ won: number | string; processed: number | string; total: number | string; sent: number | string; skipped: number | string }>(
      await tx.execute(sql`
        with v (request_id, seen, headers, mid, body, user_id, detail) as (values ${values}),
        won as (
          insert into bulk_deliveries (request_id, saved_reply_id, seen_message_id, bulk_answer_id, email_headers, message_id)
          select v.request_id, ${savedReplyId}, v.seen, ${jobId}, v.headers, nextval(pg_get_serial_sequence('support_messages', 'id'))
          from v where v.request_id is not null
          on conflict do nothing
          returning request_id, message_id),
        messages as (
          insert into support_messages (id, request_id, kind, channel, author_id, body, bulk_answer_id)
          select won.message_id, won.request_id, 'reply', 'desk', ${agentId}, v.body, ${jobId}
          from won join v on v.request_id = won.request_id
          returning 1),
        thread as (
          insert into support_thread_ids (message_id, request_id, ours)
          select v.mid, won.request_id, true from won join v on v.request_id = won.request_id
          on conflict do nothing returning 1),
        requests as (
          update support_requests r
          set status = ${resolved ? "resolved" : "waiting"}, resolved_at = ${resolved ? sql`now()` : sql`null`}, updated_at = now()
          from won where r.id = won.request_id
          returning 1),
        audit as (
          insert into audit_events (action, actor_id, subject_id, detail)
          select 'support.bulk_replied', ${agentId}, v.user_id, v.detail from won join v on v.request_id = won.request_id
          returning 1),
        outcomes as (
          update bulk_answer_targets t
          set outcome = case
              when t.request_id in (select request_id from won) then 'sent'
              when t.request_id in (${list([0, ...ids.filter((id) => outcome.get(id) === "stale")])}) then 'stale'
              when t.request_id in (${list([0, ...ids.filter((id) => outcome.get(id) === "closed")])}) then 'closed'
              else 'duplicate' end,
            processed_at = now()
          where t.bulk_answer_id = ${jobId} and t.request_id in (${list(ids)})
          returning 1),
        job as (
          update bulk_answers set cursor = ${cursor}, processed = processed + ${ids.length},
            sent = sent + (select count(*) from won), skipped = skipped + ${ids.length} - (select count(*) from won),
            lease_until = now() + make_interval(secs => ${leaseSeconds}), updated_at = now()
          where id = ${jobId}
          returning processed, total, sent, skipped)
        select (select count(*) from won) as won, processed, total, sent, skipped from job`),
    );
    const progress = {
      processed: Number(written.processed),
      total: Number(written.total),
      sent: Number(written.sent),
      skipped: Number(written.skipped),
    };
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
    const lease = { renewedAt: Date.now() };
    const send = { jobId, body: job.body, owner, leaseSeconds, lease, signal: options.signal, maxTries: options.maxTries, log: options.log };
    for (let batch = 1; ; batch++) {
      // First whatever was recorded and not sent (a resumed job), then the next batch.
      const sent = await sendPendingDeliveries(db, send);
      if (sent !== "ok") return { state: sent };
      if (options.signal?.aborted) return { state: "stopped" };
      const step = await processNextBatch(db, jobId, owner, leaseSeconds, batchSize);
      if (step.state === "lost") return { state: "lost" };
      if (step.state !== "done") break;
      lease.renewedAt = Date.now(); // the batch extended it
      options.onProgress?.(step.progress);
      await options.afterBatch?.({ number: batch, cursor: step.cursor });
    }
    return { state: (await finish(db, jobId, owner)) ? "done" : "lost" };
  } finally {
    await releaseLease(db, jobId, owner);
  }
}
