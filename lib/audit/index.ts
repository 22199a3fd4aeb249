// The append-only audit trail (SPEC 4.9). Never pass a password, hash or
// token in `detail`: recordAudit refuses keys that look like one.
import { desc, eq, or, sql } from "drizzle-orm";
import { executePrepared, type Db } from "@/db/client";
import { auditEvents } from "@/db/schema";

export type AuditAction =
  | "sign_in.success"
  | "sign_in.failure"
  | "sign_in.rehashed"
  | "sign_out"
  | "password.expired"
  | "password.changed"
  | "reset_link.requested"
  | "reset_link.sent"
  | "reset_link.used"
  | "reset_link.expired"
  | "reset_link.invalid"
  | "session.created"
  | "session.ended"
  | "passkey.added"
  | "passkey.used"
  | "passkey.removed"
  | "passkey.renamed"
  | "passkey.offer_dismissed"
  | "session.blocked"
  | "user.created"
  | "user.updated"
  | "user.disabled"
  | "agent.invited"
  | "notice.published"
  | "expiry.started"
  | "expiry.finished"
  | "campaign.created"
  | "campaign.started"
  | "campaign.paused"
  | "campaign.completed"
  | "support.request_created"
  | "support.claimed"
  | "support.released"
  | "support.replied"
  | "support.noted"
  | "support.resolved"
  | "support.customer_viewed"
  | "support.topic_changed"
  | "support.merged"
  | "support.bulk_answer_started"
  | "support.bulk_replied"
  | "support.bulk_answer_finished"
  | "saved_reply.created"
  | "saved_reply.updated"
  | "saved_reply.archived"
  | "rate_limit.exceeded";

export type AuditInput = {
  action: AuditAction;
  actorId?: number | null;
  subjectId?: number | null;
  ip?: string | null;
  detail?: Record<string, unknown>;
};

const FORBIDDEN_KEYS = /pass(word)?|hash|token|secret/i;

// Any drizzle database or transaction will do.
type Writer = Pick<Db, "insert">;

function auditRow(event: AuditInput) {
  if (event.detail) {
    for (const key of Object.keys(event.detail)) {
      if (FORBIDDEN_KEYS.test(key)) throw new Error(`Audit detail may not carry "${key}".`);
    }
  }
  return {
    action: event.action,
    actorId: event.actorId ?? null,
    subjectId: event.subjectId ?? null,
    ip: event.ip ?? null,
    detail: event.detail ?? null,
  };
}

export async function recordAudit(db: Writer, event: AuditInput) {
  await db.insert(auditEvents).values(auditRow(event));
}

/**
 * Several events in one insert (a round of inbound emails filed together): one
 * JSON parameter, so the statement's text is the same for any number of events.
 */
export async function recordAudits(db: Db, events: readonly AuditInput[]) {
  if (events.length === 0) return;
  const rows = events.map((event, n) => {
    const row = auditRow(event);
    return { n, action: row.action, actor_id: row.actorId, subject_id: row.subjectId, ip: row.ip, detail: row.detail };
  });
  await executePrepared(
    db,
    sql`
    insert into audit_events (action, actor_id, subject_id, ip, detail)
    select x.action, x.actor_id, x.subject_id, x.ip, x.detail
    from json_to_recordset(${JSON.stringify(rows)}::json) as x(n int, action text, actor_id bigint, subject_id bigint, ip text, detail jsonb)
    order by x.n`,
  );
}

export type AuditRow = {
  id: number;
  at: Date;
  action: string;
  actorId: number | null;
  subjectId: number | null;
  ip: string | null;
  detail: Record<string, unknown> | null;
};

/** Events about an account, or done by it, newest first. */
export async function auditEventsFor(db: Db, userId: number, limit = 50): Promise<AuditRow[]> {
  return db
    .select({
      id: auditEvents.id,
      at: auditEvents.at,
      action: auditEvents.action,
      actorId: auditEvents.actorId,
      subjectId: auditEvents.subjectId,
      ip: auditEvents.ip,
      detail: auditEvents.detail,
    })
    .from(auditEvents)
    .where(or(eq(auditEvents.subjectId, userId), eq(auditEvents.actorId, userId)))
    .orderBy(desc(auditEvents.at), desc(auditEvents.id))
    .limit(limit);
}
