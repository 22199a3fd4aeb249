// The expiry and end-sessions (SPEC 4.1): one UPDATE per id range (keyset on
// the primary key: as fast as one UPDATE of every row, issue 7), each range
// committed with the job's cursor, so a re-run after a crash resumes where the
// last committed batch ended and redoes nothing. Idempotent by its conditions.
import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { rowsOf, type Db } from "@/db/client";
import { jobs } from "@/db/schema";
import { emailSchema, InputError } from "@/lib/accounts";
import { recordAudit } from "@/lib/audit";
import { readCounters } from "@/lib/campaigns/counters";
import { env } from "@/lib/env";

export type JobKind = "expiry" | "end_sessions";
export type UserScope = { kind: "customers" } | { kind: "everyone" } | { kind: "emails"; emails: string[] };
export type Actor = { id: number | null; ip?: string | null };

const scopeShape = z.union([
  z.object({ kind: z.enum(["customers", "everyone"]) }),
  z.object({ kind: z.literal("emails"), emails: z.array(z.string().max(320)).max(100_000) }),
]);

export function normaliseScope(input: UserScope): UserScope {
  const parsed = scopeShape.safeParse(input);
  if (!parsed.success) throw new InputError("Choose who to expire: all customers, everyone, or a list of emails.");
  const scope = parsed.data;
  if (scope.kind !== "emails") return { kind: scope.kind };
  const emails = [...new Set(scope.emails.map((e) => e.trim().toLowerCase()).filter(Boolean))].sort();
  if (emails.length === 0) throw new InputError("List at least one email address.");
  if (emails.length > 10_000) throw new InputError("A list holds at most 10,000 addresses; import larger sets and expire all customers.");
  const bad = emails.find((e) => !emailSchema.safeParse(e).success);
  if (bad) throw new InputError(`"${bad}" is not an email address.`);
  return { kind: "emails", emails };
}

function scopeCondition(scope: UserScope): SQL {
  if (scope.kind === "everyone") return sql`true`;
  if (scope.kind === "customers") return sql`u.role = 'customer'`;
  return sql`u.email in (${sql.join(scope.emails.map((e) => sql`${e}`), sql`, `)})`;
}

export function describeScope(scope: UserScope): string {
  if (scope.kind === "everyone") return "everyone (customers, agents and admins)";
  if (scope.kind === "customers") return "all customers";
  return `${scope.emails.length} listed address${scope.emails.length === 1 ? "" : "es"}`;
}

export type ScopeCount = { inScope: number; notYetExpired: number };

/**
 * What a job would touch, for the confirmation step. A list of addresses is
 * counted exactly (by the email index). "All customers" and "everyone" read
 * the dashboard's counters (decision 0013) plus the staff accounts (a few rows
 * by the role index), so confirming costs the same at 300 and at 24 M
 * accounts: active customers are every customer, since only staff accounts
 * are ever disabled; the expired counter counts every role, disabled or not.
 */
export async function countScope(db: Db, scope: UserScope): Promise<ScopeCount> {
  const s = normaliseScope(scope);
  if (s.kind === "emails") {
    const [row] = rowsOf<{ total: number | string; open: number | string }>(
      await db.execute(sql`
        select count(*)::int8 as total, count(*) filter (where u.password_expired_at is null)::int8 as open
        from users u where ${scopeCondition(s)}`),
    );
    return { inScope: Number(row?.total ?? 0), notYetExpired: Number(row?.open ?? 0) };
  }
  const counts = await readCounters(db, ["activeCustomers", "activeUsers", "expired"]);
  const [staff] = rowsOf<{ disabled: number | string; expired: number | string }>(
    await db.execute(sql`
      select count(*) filter (where u.disabled_at is not null)::int8 as disabled,
             count(*) filter (where u.password_expired_at is not null)::int8 as expired
      from users u where u.role in ('agent', 'admin')`),
  );
  const inScope = s.kind === "customers" ? counts.activeCustomers : counts.activeUsers + Number(staff?.disabled ?? 0);
  const expiredInScope = s.kind === "customers" ? counts.expired - Number(staff?.expired ?? 0) : counts.expired;
  return { inScope, notYetExpired: Math.max(0, inScope - expiredInScope) };
}

export type JobRow = {
  id: number;
  kind: string;
  scope: UserScope;
  status: string;
  cursor: number;
  lastId: number;
  processed: number;
  total: number;
  at: Date;
  updatedAt: Date;
  finishedAt: Date | null;
};

const jobColumns = {
  id: jobs.id,
  kind: jobs.kind,
  scope: jobs.scope,
  status: jobs.status,
  cursor: jobs.cursor,
  lastId: jobs.lastId,
  processed: jobs.processed,
  total: jobs.total,
  at: jobs.at,
  updatedAt: jobs.updatedAt,
  finishedAt: jobs.finishedAt,
};

export async function findJob(db: Db, id: number): Promise<JobRow | undefined> {
  const [row] = await db.select(jobColumns).from(jobs).where(eq(jobs.id, id));
  return row as JobRow | undefined;
}

export async function recentJobs(db: Db, kind: JobKind, limit = 10): Promise<JobRow[]> {
  return (await db.select(jobColumns).from(jobs).where(eq(jobs.kind, kind)).orderBy(desc(jobs.id)).limit(limit)) as JobRow[];
}

/**
 * A job for this kind and scope: the unfinished one if there is one (a re-run
 * resumes it), else a new one. The scope's highest id is fixed at creation.
 */
export type JobOptions = {
  /** expiry only: also delete the accounts' passkeys and end their passkey sessions (a breach with write access) */
  clearPasskeys?: boolean;
};

export async function openJob(db: Db, kind: JobKind, scope: UserScope, actor: Actor, options: JobOptions = {}): Promise<{ job: JobRow; resumed: boolean }> {
  const s = normaliseScope(scope);
  const clearPasskeys = kind === "expiry" && Boolean(options.clearPasskeys);
  const running = await db
    .select(jobColumns)
    .from(jobs)
    .where(and(eq(jobs.kind, kind), eq(jobs.status, "running"), eq(jobs.clearPasskeys, clearPasskeys), sql`${jobs.scope} = ${JSON.stringify(s)}::jsonb`))
    .orderBy(desc(jobs.id))
    .limit(1);
  if (running[0]) return { job: running[0] as JobRow, resumed: true };
  const [bounds] = rowsOf<{ last: number | string | null; n: number | string }>(
    await db.execute(sql`select max(u.id)::int8 as last, count(*)::int8 as n from users u where ${scopeCondition(s)}`),
  );
  const [job] = await db
    .insert(jobs)
    .values({ kind, scope: s, status: "running", cursor: 0, lastId: Number(bounds?.last ?? 0), total: Number(bounds?.n ?? 0), at: new Date(), clearPasskeys, createdBy: actor.id })
    .returning(jobColumns);
  await recordAudit(db, {
    action: kind === "expiry" ? "expiry.started" : "session.ended",
    actorId: actor.id,
    ip: actor.ip,
    detail: { jobId: job.id, scope: describeScope(s), accounts: Number(bounds?.n ?? 0), stage: "started", ...(clearPasskeys ? { webauthnKeysCleared: true } : {}) },
  });
  return { job: job as JobRow, resumed: false };
}

function batchUpdate(kind: JobKind, scope: UserScope, when: Date, lo: number, hi: number): SQL {
  // Raw parameters go as text: the postgres driver does not serialise a Date here.
  const at = sql`${when.toISOString()}::timestamptz`;
  const range = sql`u.id > ${lo} and u.id <= ${hi} and ${scopeCondition(scope)}`;
  if (kind === "expiry") {
    // Already expired accounts keep their date (their newer links stay valid);
    // an account that set a new password after this job began is left alone.
    return sql`update users u set password_expired_at = ${at}
      where ${range} and u.password_expired_at is null
        and (u.password_changed_at is null or u.password_changed_at < ${at})
      returning u.id`;
  }
  return sql`update users u set session_version = u.session_version + 1 where ${range} returning u.id`;
}

// Every account in the range loses its passkeys (whether or not it was already
// expired: the attacker may have written their own), and its passkey sessions end.
async function clearPasskeysInRange(tx: Pick<Db, "execute">, scope: UserScope, lo: number, hi: number) {
  const range = sql`u.id > ${lo} and u.id <= ${hi} and ${scopeCondition(scope)}`;
  await tx.execute(sql`delete from passkeys p using users u where p.user_id = u.id and ${range}`);
  await tx.execute(sql`update device_sessions s set ended_at = now(), end_reason = 'passkeys_cleared'
    from users u where s.user_id = u.id and s.ended_at is null and s.method = 'passkey' and ${range}`);
}

export type RunOptions = {
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?: (job: { done: number; total: number; processed: number }) => void;
  /** tests: called after each committed batch with its id range */
  afterBatch?: (batch: { number: number; from: number; to: number }) => void | Promise<void>;
};

/** Runs (or resumes) a job to its end; each batch commits with the cursor. */
export async function runJob(db: Db, jobId: number, actor: Actor, options: RunOptions = {}): Promise<JobRow> {
  const batchSize = options.batchSize ?? env().EXPIRY_BATCH_SIZE;
  let batches = 0;
  for (;;) {
    if (options.signal?.aborted) break;
    const step = await db.transaction(async (tx) => {
      // The row lock keeps two runners of one job from taking the same range.
      const [job] = rowsOf<{ kind: JobKind; scope: UserScope; status: string; cursor: number | string; last_id: number | string; at: Date | string; total: number | string; processed: number | string; clear_passkeys: boolean }>(
        await tx.execute(sql`select kind, scope, status, cursor, last_id, at, total, processed, clear_passkeys from jobs where id = ${jobId} for update`),
      );
      if (!job || job.status !== "running") return null;
      const cursor = Number(job.cursor);
      const lastId = Number(job.last_id);
      if (cursor >= lastId) {
        await tx.execute(sql`update jobs set status = 'finished', finished_at = now(), updated_at = now() where id = ${jobId}`);
        return { finished: true, cursor, lastId, total: Number(job.total), processed: Number(job.processed) };
      }
      // A list of addresses is one small batch; a scope walks the ids.
      const scope: UserScope = typeof job.scope === "string" ? JSON.parse(job.scope) : job.scope;
      const hi = scope.kind === "emails" ? lastId : Math.min(lastId, cursor + batchSize);
      const updated = rowsOf<{ id: number | string }>(await tx.execute(batchUpdate(job.kind, scope, new Date(job.at), cursor, hi)));
      if (job.kind === "expiry" && job.clear_passkeys) await clearPasskeysInRange(tx, scope, cursor, hi);
      if (scope.kind === "emails" && updated.length > 0) {
        // A short list is audited per account, so each customer's activity shows it.
        for (const u of updated) {
          await recordAudit(tx, {
            action: job.kind === "expiry" ? "password.expired" : "session.ended",
            actorId: actor.id,
            subjectId: Number(u.id),
            ip: actor.ip,
            detail: { jobId },
          });
        }
      }
      await tx.execute(sql`update jobs set cursor = ${hi}, processed = processed + ${updated.length}, updated_at = now() where id = ${jobId}`);
      return { finished: false, from: cursor, cursor: hi, lastId, total: Number(job.total), processed: Number(job.processed) + updated.length };
    });
    if (!step) break;
    options.onProgress?.({ done: step.lastId ? Math.round((Math.min(step.cursor, step.lastId) / step.lastId) * step.total) : step.total, total: step.total, processed: step.processed });
    if (step.finished) {
      const job = (await findJob(db, jobId))!;
      await recordAudit(db, {
        action: job.kind === "expiry" ? "expiry.finished" : "session.ended",
        actorId: actor.id,
        ip: actor.ip,
        detail: { jobId, scope: describeScope(job.scope), changed: job.processed, stage: "finished" },
      });
      break;
    }
    batches++;
    if ("from" in step && step.from !== undefined) await options.afterBatch?.({ number: batches, from: step.from, to: step.cursor });
  }
  return (await findJob(db, jobId))!;
}

export async function expirePasswords(db: Db, scope: UserScope, actor: Actor, options: RunOptions & JobOptions = {}) {
  const { job, resumed } = await openJob(db, "expiry", scope, actor, { clearPasskeys: options.clearPasskeys });
  return { job: await runJob(db, job.id, actor, options), resumed };
}

export async function endSessions(db: Db, scope: UserScope, actor: Actor, options: RunOptions = {}) {
  const { job, resumed } = await openJob(db, "end_sessions", scope, actor);
  return { job: await runJob(db, job.id, actor, options), resumed };
}

/** Progress of a job for the UI: a fraction by id cursor and the accounts changed. */
export function jobFraction(job: Pick<JobRow, "cursor" | "lastId" | "status">): number {
  if (job.status === "finished" || job.lastId === 0) return 1;
  return Math.min(1, job.cursor / job.lastId);
}

/** A running job nobody has advanced for 30 s (its server restarted): it can be resumed. */
export function isStalled(job: Pick<JobRow, "status" | "updatedAt">, now = Date.now()): boolean {
  return job.status === "running" && now - job.updatedAt.getTime() > 30_000;
}
