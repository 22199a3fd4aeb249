// What the job page shows: progress while it runs, then the result — sent,
// left out as stale (named, linked), duplicates and closed requests.
import { desc, eq, sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { bulkAnswers, users } from "@/db/schema";
import { authorizeStaff } from "../authorize";

export type LeftOut = { id: number; reference: string; email: string; outcome: "stale" | "duplicate" | "closed" };

export type BulkAnswerView = {
  id: number;
  status: "running" | "done" | "failed";
  title: string;
  markResolved: boolean;
  description: string;
  confirmed: number | null;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
  createdByEmail: string | null;
  total: number;
  processed: number;
  /** replies recorded, and of those the emails sent */
  sent: number;
  emailed: number;
  outcomes: { stale: number; duplicate: number; closed: number };
  /** the requests left out, by outcome, at most LEFT_OUT_LISTED */
  leftOut: LeftOut[];
  lastError: string | null;
  /** running, yet nobody advanced it for a while: its runner is gone (resumed at the next start or by the CLI) */
  stalled: boolean;
};

export const LEFT_OUT_LISTED = 300;

export async function bulkAnswerView(db: Db, actorId: number, id: number): Promise<BulkAnswerView | null> {
  await authorizeStaff(db, actorId);
  return loadBulkAnswerView(db, id);
}

/** The same without an actor: the operations CLI. */
export async function loadBulkAnswerView(db: Db, id: number): Promise<BulkAnswerView | null> {
  const [job] = await db
    .select({
      id: bulkAnswers.id,
      status: bulkAnswers.status,
      title: bulkAnswers.title,
      markResolved: bulkAnswers.markResolved,
      selection: bulkAnswers.selection,
      createdAt: bulkAnswers.createdAt,
      updatedAt: bulkAnswers.updatedAt,
      finishedAt: bulkAnswers.finishedAt,
      createdByEmail: users.email,
      total: bulkAnswers.total,
      processed: bulkAnswers.processed,
      sent: bulkAnswers.sent,
      leaseUntil: bulkAnswers.leaseUntil,
      lastError: bulkAnswers.lastError,
    })
    .from(bulkAnswers)
    .leftJoin(users, eq(users.id, bulkAnswers.createdBy))
    .where(eq(bulkAnswers.id, id));
  if (!job) return null;
  const outcomes = { stale: 0, duplicate: 0, closed: 0 };
  for (const row of rowsOf<{ outcome: string | null; n: number | string }>(
    await db.execute(sql`select outcome, count(*)::int8 as n from bulk_answer_targets where bulk_answer_id = ${id} group by outcome`),
  )) {
    if (row.outcome === "stale" || row.outcome === "duplicate" || row.outcome === "closed") outcomes[row.outcome] = Number(row.n);
  }
  const [{ emailed }] = rowsOf<{ emailed: number | string }>(
    await db.execute(sql`select count(*)::int8 as emailed from bulk_deliveries where bulk_answer_id = ${id} and emailed_at is not null`),
  );
  const leftOut = rowsOf<{ id: number | string; reference: string; email: string; outcome: LeftOut["outcome"] }>(
    await db.execute(sql`
      select r.id, r.reference, r.email, t.outcome from bulk_answer_targets t
      join support_requests r on r.id = t.request_id
      where t.bulk_answer_id = ${id} and t.outcome in ('stale', 'duplicate', 'closed')
      order by t.outcome desc, t.request_id limit ${LEFT_OUT_LISTED}`),
  ).map((r) => ({ ...r, id: Number(r.id) }));
  const selection = job.selection as { description?: string; confirmed?: number };
  const stalled =
    job.status === "running" && (job.leaseUntil ? job.leaseUntil.getTime() < Date.now() : Date.now() - job.updatedAt.getTime() > 10_000);
  return {
    id: job.id,
    status: job.status,
    title: job.title,
    markResolved: job.markResolved,
    description: selection.description ?? "",
    confirmed: typeof selection.confirmed === "number" ? selection.confirmed : null,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    finishedAt: job.finishedAt,
    createdByEmail: job.createdByEmail,
    total: job.total,
    processed: job.processed,
    sent: job.sent,
    emailed: Number(emailed),
    outcomes,
    leftOut,
    lastError: job.lastError,
    stalled,
  };
}

export type BulkAnswerSummary = { id: number; title: string; status: string; total: number; sent: number; createdAt: Date; createdByEmail: string | null };

/** The latest bulk answers, newest first. */
export async function recentBulkAnswers(db: Db, actorId: number, limit = 10): Promise<BulkAnswerSummary[]> {
  await authorizeStaff(db, actorId);
  return db
    .select({
      id: bulkAnswers.id,
      title: bulkAnswers.title,
      status: bulkAnswers.status,
      total: bulkAnswers.total,
      sent: bulkAnswers.sent,
      createdAt: bulkAnswers.createdAt,
      createdByEmail: users.email,
    })
    .from(bulkAnswers)
    .leftJoin(users, eq(users.id, bulkAnswers.createdBy))
    .orderBy(desc(bulkAnswers.id))
    .limit(Math.min(Math.max(limit, 1), 50));
}

/** A failed job (the provider refused it) runs again from where it stopped, after the cause is fixed. */
export async function retryBulkAnswer(db: Db, actorId: number, id: number): Promise<boolean> {
  await authorizeStaff(db, actorId);
  const rows = rowsOf(
    await db.execute(sql`update bulk_answers set status = 'running', updated_at = now() where id = ${id} and status = 'failed' returning id`),
  );
  return rows.length === 1;
}
