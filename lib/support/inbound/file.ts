// Filing one fetched email, all in one transaction: a new request, a message
// on an existing one, a bounce, or nothing (not addressed to us). Decision
// 0007 gives the rules; the acknowledgement is sent after the commit.
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { recordAudit } from "@/lib/audit";
import { env } from "@/lib/env";
import { newReference } from "../requests";
import { newMessageId, referenceFromRecipients, replyAddressFor, supportAddress } from "../threading";
import { classify, type Classified, type ReceivedEmail } from "./classify";

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

type Target = { id: number; reference: string; email: string; status: string; user_id: number | null };

function ownDomains(): string[] {
  const e = env();
  const domains = [supportAddress().domain, ...e.SUPPORT_INBOUND_ADDRESSES.map((a) => a.split("@")[1])];
  const from = /@([^>\s]+)>?\s*$/.exec(e.EMAIL_FROM);
  if (from) domains.push(from[1].toLowerCase());
  return [...new Set(domains)];
}

function addressedToUs(recipients: readonly string[]): boolean {
  const { local, domain, address } = supportAddress();
  const extra = env().SUPPORT_INBOUND_ADDRESSES;
  return recipients.some((r) => r === address || extra.includes(r) || (r.startsWith(`${local}+`) && r.endsWith(`@${domain}`)));
}

const capKey = (policy: string, sender: string) => createHash("sha256").update(`${policy}\0${sender}`).digest("base64url");

type Cap = "inbound:new" | "inbound:ack";

/** Counts one against each per-sender hourly cap (the shared rate-limit table), in one statement. */
async function countCaps(tx: Db, policies: readonly Cap[], sender: string): Promise<Record<Cap, number>> {
  const out: Record<Cap, number> = { "inbound:new": 0, "inbound:ack": 0 };
  if (policies.length === 0) return out;
  const rows = rowsOf<{ policy: Cap; count: number }>(
    await tx.execute(sql`
      insert into rate_limit_buckets (policy, key, window_start, count)
      values ${sql.join(policies.map((p) => sql`(${p}, ${capKey(p, sender)}, date_trunc('hour', now()), 1)`), sql`, `)}
      on conflict (policy, key, window_start) do update set count = rate_limit_buckets.count + 1
      returning policy, count`),
  );
  for (const r of rows) out[r.policy] = Number(r.count);
  return out;
}

async function findTarget(tx: Db, c: Classified): Promise<Target | null> {
  const reference = referenceFromRecipients(c.recipients);
  const byToken = reference ? sql`r.reference = ${reference}` : sql`false`;
  // One of OUR Message-IDs only: the customer's own ids prove nothing.
  const byIds =
    c.referenced.length > 0
      ? sql`r.id = (select t.request_id from support_thread_ids t
          where t.ours and t.message_id in (${sql.join(c.referenced.map((id) => sql`${id}`), sql`, `)})
          order by t.created_at desc limit 1)`
      : sql`false`;
  if (!reference && c.referenced.length === 0) return null;
  const [row] = rowsOf<Target>(
    await tx.execute(sql`
      select r.id, r.reference, r.email, r.status, r.user_id from support_requests r
      where ${byToken} or ${byIds}
      order by ${reference ? sql`(r.reference = ${reference}) desc,` : sql``} r.id desc limit 1`),
  );
  return row ?? null;
}

async function recordBounce(tx: Db, eventId: number, c: Classified): Promise<void> {
  // The report names the failed email in its headers or in its text.
  const named = [...new Set([...c.referenced, ...(c.body.match(/<[^<>\s]{1,250}@[^<>\s]{1,250}>/g) ?? [])])].slice(0, 50);
  const [sent] =
    named.length > 0
      ? rowsOf<{ id: number; message_id: string }>(
          await tx.execute(sql`
            update sent_emails set status = 'bounced'
            where id = (select id from sent_emails where message_id in (${sql.join(named.map((id) => sql`${id}`), sql`, `)})
                        order by id desc limit 1)
            returning id, message_id`),
        )
      : [];
  await tx.execute(sql`
    insert into email_bounces (inbound_event_id, message_id, sent_email_id, reporter, subject)
    values (${eventId}, ${sent?.message_id ?? null}, ${sent?.id ?? null}, ${c.sender}, ${c.subject})
    on conflict (inbound_event_id) do nothing`);
}

async function insertMessage(tx: Db, requestId: number, eventId: number, c: Classified, ourAckId: string | null = null) {
  await tx.execute(sql`
    with m as (
      insert into support_messages
        (request_id, kind, channel, body, from_address, subject, message_id, attachments, from_html, inbound_event_id)
      values (${requestId}, 'customer', 'email', ${c.body}, ${c.sender}, ${c.subject}, ${c.messageId},
        ${c.attachments.length ? JSON.stringify(c.attachments) : null}::jsonb, ${c.fromHtml}, ${eventId})
      returning id)
    insert into support_thread_ids (message_id, request_id, ours, created_at)
    select ids.mid, ${requestId}, ids.mine, ids.at from m, (values
      (${c.messageId}::text, false, now()),
      (${ourAckId}::text, true, now() + interval '1 millisecond')) as ids(mid, mine, at)
    where ids.mid is not null
    on conflict (message_id) do nothing`);
}

export async function fileInbound(db: Db, eventId: number, email: ReceivedEmail): Promise<Filed> {
  const settings = env();
  const c = classify(email, { maxBytes: settings.SUPPORT_INBOUND_MAX_BYTES, ownDomains: ownDomains() });
  return db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    const done = async (outcome: string, requestId: number | null) =>
      tx.execute(sql`
        update inbound_events set status = 'done', outcome = ${outcome}, request_id = ${requestId},
          processed_at = now(), last_error = null
        where id = ${eventId}`);

    // Two workers never file one event twice: the second waits here, then sees it done.
    const [event] = rowsOf<{ status: string }>(
      await tx.execute(sql`select status from inbound_events where id = ${eventId} for update`),
    );
    if (!event || event.status !== "pending") return { outcome: "ignored", requestId: null, ack: null } as const;

    if (c.deliveryReport) {
      await recordBounce(tx, eventId, c);
      await done("bounce", null);
      return { outcome: "bounce", requestId: null, ack: null } as const;
    }
    if (!c.sender.includes("@") || !addressedToUs(c.recipients)) {
      await done("ignored", null);
      return { outcome: "ignored", requestId: null, ack: null } as const;
    }

    let target = await findTarget(tx, c);
    // Only the request's customer can add to it; anyone else starts their own.
    if (target && target.email !== c.sender) target = null;
    let outcome: "message" | "grouped" | "request" = "message";
    const caps = target ? null : await countCaps(tx, c.automatic ? ["inbound:new"] : ["inbound:new", "inbound:ack"], c.sender);
    if (caps && caps["inbound:new"] > settings.SUPPORT_INBOUND_NEW_PER_HOUR) {
      // A flood from one address: kept, but on that sender's latest request.
      const [latest] = rowsOf<Target>(
        await tx.execute(sql`
          select id, reference, email, status, user_id from support_requests
          where email = ${c.sender} and channel = 'email' order by (status <> 'resolved') desc, id desc limit 1`),
      );
      if (latest) {
        target = latest;
        outcome = "grouped";
      }
    }

    if (target) {
      await insertMessage(tx, target.id, eventId, c);
      // An answer puts a waiting (or resolved) request back in the queue.
      await tx.execute(sql`
        update support_requests set updated_at = now(),
          status = 'open', resolved_at = null
        where id = ${target.id}`);
      await done(outcome, target.id);
      return { outcome, requestId: target.id, reference: target.reference, ack: null };
    }

    let created: Target | undefined;
    for (let attempt = 0; !created; attempt++) {
      [created] = rowsOf<Target>(
        await tx.execute(sql`
          insert into support_requests (reference, email, name, user_id, channel)
          values (${newReference()}, ${c.sender}, ${c.senderName || c.sender}, (select id from users where email = ${c.sender}), 'email')
          on conflict (reference) do nothing
          returning id, reference, email, status, user_id`),
      );
      if (!created && attempt >= 5) throw new Error("Could not allocate a request reference.");
    }
    const wantsAck = caps !== null && !c.automatic && caps["inbound:ack"] <= settings.SUPPORT_INBOUND_ACKS_PER_HOUR;
    // The acknowledgement's Message-ID joins the thread with the customer's, in this transaction.
    const ackId = wantsAck ? newMessageId() : null;
    await insertMessage(tx, created.id, eventId, c, ackId);
    await recordAudit(tx, {
      action: "support.request_created",
      subjectId: created.user_id,
      detail: { requestId: created.id, reference: created.reference, channel: "email" },
    });
    await done("request", created.id);
    const ack: Ack | null = ackId
      ? {
          requestId: created.id,
          reference: created.reference,
          to: c.sender,
          userId: created.user_id,
          replyTo: replyAddressFor(created.reference),
          headers: {
            "Message-ID": ackId,
            "Auto-Submitted": "auto-replied",
            ...(c.messageId ? { "In-Reply-To": c.messageId, References: c.messageId } : {}),
          },
        }
      : null;
    return { outcome: "request", requestId: created.id, reference: created.reference, ack };
  });
}
