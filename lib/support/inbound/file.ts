// Filing fetched emails (decision 0007): each becomes a new request, a message
// on an existing request, a bounce, or nothing (not addressed to us), as
// planRound (plan.ts) decides. A round is filed in ONE transaction, with the
// same outcome as filing its emails one after another in arrival order; one
// email alone is a round of one. The statements' text does not depend on the
// number of emails (the rows travel as one JSON parameter), so the driver
// prepares each once.
//
// Where each outcome is written: openRequests (new requests), addMessages
// (every message: on a request found by findTargets, on one just opened, or
// grouped past the cap), recordBounce (delivery reports), recordRound (the
// rest: audit rows, events marked done).
import { sql } from "drizzle-orm";
import { executePrepared, type Db } from "@/db/client";
import { recordAudits, type AuditInput } from "@/lib/audit";
import { env } from "@/lib/env";
import { newReference } from "../requests";
import { newMessageId, replyAddressFor } from "../threading";
import { topicForEmail } from "../topics";
import { classify, type Classified, type ReceivedEmail } from "./classify";
import { bigints, json, ownDomains, planRound, targetOf, texts, type Item, type Plan, type Target } from "./plan";

export type Fetched = { eventId: number; email: ReceivedEmail };

export type Filed =
  | { outcome: "request" | "grouped" | "message"; requestId: number; reference: string; ack: Ack | null }
  | { outcome: "bounce"; requestId: null; ack: null }
  | { outcome: "ignored"; requestId: null; ack: null };

export type Ack = {
  requestId: number;
  reference: string;
  to: string;
  userId: number | null;
  replyTo: string;
  headers: Record<string, string>;
};

/**
 * Files a round of fetched emails in one transaction. If it throws, nothing of
 * it is kept (the caller then files the emails one by one).
 */
export async function fileInbound(db: Db, batch: readonly Fetched[]): Promise<Filed[]> {
  if (batch.length === 0) return [];
  const settings = env();
  const domains = ownDomains();
  const items: Item[] = batch.map((b) => ({
    eventId: b.eventId,
    c: classify(b.email, { maxBytes: settings.SUPPORT_INBOUND_MAX_BYTES, ownDomains: domains }),
  }));
  return db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    // The events stay locked to the commit: another worker waits, then sees them done.
    const locked = await executePrepared<{ id: number | string }>(
      tx,
      sql`select id from inbound_events where id = any(${bigints(items.map((i) => i.eventId))}) and status = 'pending'
          order by id for update`,
    );
    const pending = new Set(locked.map((r) => Number(r.id)));
    const plans = await planRound(tx, items, pending);
    const opened = await openRequests(tx, items, plans);
    return recordRound(tx, items, plans, opened);
  });
}

/**
 * The new requests of the round, in one insert in arrival order (a reference
 * taken meanwhile is drawn again). Index in items → request.
 */
async function openRequests(tx: Db, items: readonly Item[], plans: readonly Plan[]): Promise<Map<number, Target>> {
  const opened = new Map<number, Target>();
  let toOpen = items.map((_, i) => i).filter((i) => plans[i].kind === "request");
  for (let attempt = 0; toOpen.length > 0; attempt++) {
    if (attempt > 5) throw new Error("Could not allocate request references.");
    const rows = toOpen.map((i, n) => {
      const c = items[i].c;
      return { n, i, reference: newReference(), email: c.sender, name: c.senderName || c.sender, topic: topicForEmail(c.subject, c.body) };
    });
    if (new Set(rows.map((r) => r.reference)).size !== rows.length) continue;
    const inserted = await executePrepared<Target>(
      tx,
      sql`
        insert into support_requests (reference, email, name, user_id, channel, topic)
        select x.reference, x.email, x.name, (select u.id from users u where u.email = x.email), 'email', x.topic
        from json_to_recordset(${json(rows)}) as x(n int, reference text, email text, name text, topic text)
        order by x.n
        on conflict (reference) do nothing
        returning id, reference, email, status, user_id`,
    );
    const got = new Map(inserted.map((r) => [r.reference, targetOf(r)]));
    for (const r of rows) if (got.has(r.reference)) opened.set(r.i, got.get(r.reference)!);
    toOpen = rows.filter((r) => !got.has(r.reference)).map((r) => r.i);
  }
  return opened;
}

type NewMessage = { requestId: number; eventId: number; c: Classified; ackId: string | null };

/**
 * Every message of the round in one insert, their Message-IDs on the threads
 * (the acknowledgement's joins now, in this transaction), and answered
 * requests back in the queue.
 */
function addMessages(tx: Db, messages: readonly NewMessage[], answered: readonly number[]): Promise<unknown>[] {
  const statements: Promise<unknown>[] = [];
  if (messages.length > 0) {
    const rows = messages.map(({ requestId, eventId, c }, n) => ({
      n,
      request_id: requestId,
      event_id: eventId,
      body: c.body,
      from_address: c.sender,
      subject: c.subject,
      message_id: c.messageId,
      attachments: c.attachments.length ? c.attachments : null,
      from_html: c.fromHtml,
    }));
    statements.push(
      executePrepared(
        tx,
        sql`
          insert into support_messages
            (request_id, kind, channel, body, from_address, subject, message_id, attachments, from_html, inbound_event_id)
          select x.request_id, 'customer', 'email', x.body, x.from_address, x.subject, x.message_id, x.attachments, x.from_html, x.event_id
          from json_to_recordset(${json(rows)}) as x(n int, request_id bigint, event_id bigint, body text, from_address text,
            subject text, message_id text, attachments jsonb, from_html boolean)
          order by x.n`,
      ),
    );
    // In arrival order, so that the first email naming a Message-ID keeps it (as one by one).
    const ids = messages.flatMap(({ requestId, c, ackId }) => [
      ...(c.messageId ? [{ message_id: c.messageId, request_id: requestId, ours: false, later: 0 }] : []),
      ...(ackId ? [{ message_id: ackId, request_id: requestId, ours: true, later: 1 }] : []),
    ]);
    if (ids.length > 0) {
      statements.push(
        executePrepared(
          tx,
          sql`
            insert into support_thread_ids (message_id, request_id, ours, created_at)
            select x.message_id, x.request_id, x.ours, now() + x.later * interval '1 millisecond'
            from json_to_recordset(${json(ids.map((r, n) => ({ n, ...r })))})
              as x(n int, message_id text, request_id bigint, ours boolean, later int)
            order by x.n
            on conflict (message_id) do nothing`,
        ),
      );
    }
  }
  if (answered.length > 0) {
    // An answer puts a waiting (or resolved) request back in the queue.
    statements.push(
      executePrepared(
        tx,
        sql`
          update support_requests set updated_at = now(), status = 'open', resolved_at = null
          where id = any(${bigints(answered)})`,
      ),
    );
  }
  return statements;
}

/** A delivery report: recorded against the sent email it names (in its headers or text), which is marked bounced. */
async function recordBounce(tx: Db, eventId: number, c: Classified): Promise<void> {
  const named = [...new Set([...c.referenced, ...(c.body.match(/<[^<>\s]{1,250}@[^<>\s]{1,250}>/g) ?? [])])].slice(0, 50);
  const [sent] =
    named.length > 0
      ? await executePrepared<{ id: number; message_id: string }>(
          tx,
          sql`
            update sent_emails set status = 'bounced'
            where id = (select id from sent_emails where message_id = any(${texts(named)})
                        order by id desc limit 1)
            returning id, message_id`,
        )
      : [];
  await executePrepared(
    tx,
    sql`
      insert into email_bounces (inbound_event_id, message_id, sent_email_id, reporter, subject)
      values (${eventId}, ${sent?.message_id ?? null}, ${sent?.id ?? null}, ${c.sender}, ${c.subject})
      on conflict (inbound_event_id) do nothing`,
  );
}

function acknowledgement(request: Target, c: Classified, ackId: string): Ack {
  return {
    requestId: request.id,
    reference: request.reference,
    to: c.sender,
    userId: request.user_id,
    replyTo: replyAddressFor(request.reference),
    headers: {
      "Message-ID": ackId,
      "Auto-Submitted": "auto-replied",
      ...(c.messageId ? { "In-Reply-To": c.messageId, References: c.messageId } : {}),
    },
  };
}

/** Writes what the plans say (messages, bounces, events done) and returns each email's outcome. */
async function recordRound(tx: Db, items: readonly Item[], plans: readonly Plan[], opened: ReadonlyMap<number, Target>): Promise<Filed[]> {
  const filed: Filed[] = [];
  const messages: NewMessage[] = [];
  const answered = new Set<number>();
  const done: { id: number; outcome: string; request_id: number | null }[] = [];
  const audits: AuditInput[] = [...opened.values()].map((request) => ({
    action: "support.request_created",
    subjectId: request.user_id,
    detail: { requestId: request.id, reference: request.reference, channel: "email" },
  }));
  for (const [i, { eventId, c }] of items.entries()) {
    const plan = plans[i];
    if (plan.kind === "skip") {
      filed.push({ outcome: "ignored", requestId: null, ack: null });
    } else if (plan.kind === "bounce") {
      await recordBounce(tx, eventId, c);
      done.push({ id: eventId, outcome: "bounce", request_id: null });
      filed.push({ outcome: "bounce", requestId: null, ack: null });
    } else if (plan.kind === "ignored") {
      done.push({ id: eventId, outcome: "ignored", request_id: null });
      filed.push({ outcome: "ignored", requestId: null, ack: null });
    } else if (plan.kind === "request") {
      const request = opened.get(i)!;
      const ackId = plan.wantsAck ? newMessageId() : null;
      messages.push({ requestId: request.id, eventId, c, ackId });
      done.push({ id: eventId, outcome: "request", request_id: request.id });
      filed.push({ outcome: "request", requestId: request.id, reference: request.reference, ack: ackId ? acknowledgement(request, c, ackId) : null });
    } else {
      const target = plan.kind === "message" ? plan.target : opened.get(plan.opener)!;
      const outcome = plan.kind === "message" ? plan.outcome : "grouped";
      messages.push({ requestId: target.id, eventId, c, ackId: null });
      answered.add(target.id);
      done.push({ id: eventId, outcome, request_id: target.id });
      filed.push({ outcome, requestId: target.id, reference: target.reference, ack: null });
    }
  }
  // Independent statements, sent together: on PostgreSQL they share one round trip (pipelined).
  const statements = [recordAudits(tx, audits), ...addMessages(tx, messages, [...answered])];
  if (done.length > 0) {
    statements.push(
      executePrepared(
        tx,
        sql`
          update inbound_events e set status = 'done', outcome = x.outcome, request_id = x.request_id,
            processed_at = now(), last_error = null
          from json_to_recordset(${json(done)}) as x(id bigint, outcome text, request_id bigint)
          where e.id = x.id`,
      ),
    );
  }
  await Promise.all(statements);
  return filed;
}
