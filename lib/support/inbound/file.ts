// Filing one fetched email, all in one transaction: a new request, a message
// on an existing one, a bounce, or nothing (not addressed to us). Decision
// 0007 gives the rules; the acknowledgement is sent after the commit.
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { recordAudit, recordAudits } from "@/lib/audit";
import { env } from "@/lib/env";
import { newReference } from "../requests";
import { newMessageId, referenceFromRecipients, replyAddressFor, supportAddress } from "../threading";
import { topicForEmail } from "../topics";
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
  // A merged request stands for its survivor (merged_into always names one).
  const [row] = rowsOf<Target>(
    await tx.execute(sql`
      select s.id, s.reference, s.email, s.status, s.user_id from support_requests r
      join support_requests s on s.id = coalesce(r.merged_into, r.id)
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
          where email = ${c.sender} and channel = 'email' and status <> 'merged' order by (status <> 'resolved') desc, id desc limit 1`),
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
          insert into support_requests (reference, email, name, user_id, channel, topic)
          values (${newReference()}, ${c.sender}, ${c.senderName || c.sender}, (select id from users where email = ${c.sender}), 'email',
            ${topicForEmail(c.subject, c.body)})
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

export type Fetched = { eventId: number; email: ReceivedEmail };

const inList = (values: readonly (string | number)[]) => sql.join(values.map((v) => sql`${v}`), sql`, `);

type Plan =
  | { kind: "skip" }
  | { kind: "bounce" }
  | { kind: "ignored" }
  | { kind: "message"; outcome: "message" | "grouped"; target: Target }
  /** grouped onto a request opened earlier in this same batch */
  | { kind: "groupedNew"; creator: number }
  | { kind: "request"; wantsAck: boolean };

/**
 * Files a whole claimed round in ONE transaction with set-based statements
 * (one query for all tokens and thread ids, one upsert for all caps, multi-row
 * inserts), with the same rules and the same outcome as filing the emails one
 * after another with fileInbound, in order. If it throws, nothing of it is
 * kept and the caller files the emails one by one.
 */
export async function fileInboundBatch(db: Db, batch: readonly Fetched[]): Promise<Filed[]> {
  if (batch.length === 0) return [];
  const settings = env();
  const domains = ownDomains();
  const items = batch.map((b) => ({
    eventId: b.eventId,
    c: classify(b.email, { maxBytes: settings.SUPPORT_INBOUND_MAX_BYTES, ownDomains: domains }),
  }));
  return db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    // The events stay locked to the commit: another worker waits, then sees them done.
    const pending = new Set(
      rowsOf<{ id: number | string; status: string }>(
        await tx.execute(sql`
          select id, status from inbound_events where id in (${inList(items.map((i) => i.eventId))})
          order by id for update`),
      )
        .filter((r) => r.status === "pending")
        .map((r) => Number(r.id)),
    );
    const plans: Plan[] = items.map(({ eventId, c }) => {
      if (!pending.has(eventId)) return { kind: "skip" };
      if (c.deliveryReport) return { kind: "bounce" };
      if (!c.sender.includes("@") || !addressedToUs(c.recipients)) return { kind: "ignored" };
      return { kind: "request", wantsAck: false };
    });
    const live = items.map((item, i) => ({ ...item, i })).filter((x) => plans[x.i].kind === "request");

    // Targets: every valid token and every one of OUR Message-IDs named, in two queries.
    const tokens = live.map((x) => referenceFromRecipients(x.c.recipients));
    const wantedRefs = [...new Set(tokens.filter((t): t is string => t !== null))];
    const wantedIds = [...new Set(live.flatMap((x) => x.c.referenced))];
    const ours = new Map<string, { requestId: number; at: number }>();
    if (wantedIds.length > 0) {
      for (const r of rowsOf<{ message_id: string; request_id: number | string; at: number | string }>(
        await tx.execute(sql`
          select message_id, request_id, extract(epoch from created_at) as at from support_thread_ids
          where ours and message_id in (${inList(wantedIds)})`),
      )) {
        ours.set(r.message_id, { requestId: Number(r.request_id), at: Number(r.at) });
      }
    }
    const byIdOf = live.map((x) => {
      let best: { requestId: number; at: number } | null = null;
      for (const id of x.c.referenced) {
        const hit = ours.get(id);
        if (hit && (!best || hit.at > best.at)) best = hit;
      }
      return best?.requestId ?? null;
    });
    const requestIds = [...new Set(byIdOf.filter((id): id is number => id !== null))];
    // Each asked request stands for its survivor when merged (merged_into always names one).
    const requests: (Target & { asked_id: number; asked_reference: string })[] =
      wantedRefs.length + requestIds.length > 0
        ? rowsOf<Target & { asked_id: number; asked_reference: string }>(
            await tx.execute(sql`
              select a.id as asked_id, a.reference as asked_reference, s.id, s.reference, s.email, s.status, s.user_id
              from support_requests a join support_requests s on s.id = coalesce(a.merged_into, a.id)
              where ${wantedRefs.length ? sql`a.reference in (${inList(wantedRefs)})` : sql`false`}
                 or ${requestIds.length ? sql`a.id in (${inList(requestIds)})` : sql`false`}`),
          ).map((r) => ({ ...r, asked_id: Number(r.asked_id), id: Number(r.id), user_id: r.user_id === null ? null : Number(r.user_id) }))
        : [];
    const targetOf = (r: Target): Target => ({ id: r.id, reference: r.reference, email: r.email, status: r.status, user_id: r.user_id });
    const byReference = new Map(requests.map((r) => [r.asked_reference, targetOf(r)]));
    const byId = new Map(requests.map((r) => [r.asked_id, targetOf(r)]));

    // Caps, counted in arrival order: the k-th new email of a sender sees count - n + k.
    type CapUse = { policy: Cap; sender: string };
    const uses: CapUse[][] = [];
    const totals = new Map<string, { policy: Cap; sender: string; n: number }>();
    live.forEach((x, j) => {
      // A valid token wins over a thread id; only the request's customer can add to it.
      let target = (tokens[j] && byReference.get(tokens[j]!)) || (byIdOf[j] !== null ? byId.get(byIdOf[j]!) : undefined) || null;
      if (target && target.email !== x.c.sender) target = null;
      if (target) {
        plans[x.i] = { kind: "message", outcome: "message", target };
        uses.push([]);
        return;
      }
      const policies: Cap[] = x.c.automatic ? ["inbound:new"] : ["inbound:new", "inbound:ack"];
      uses.push(policies.map((policy) => ({ policy, sender: x.c.sender })));
      for (const policy of policies) {
        const key = `${policy}\0${x.c.sender}`;
        const t = totals.get(key) ?? { policy, sender: x.c.sender, n: 0 };
        t.n++;
        totals.set(key, t);
      }
    });
    const finals = new Map<string, number>();
    if (totals.size > 0) {
      const list = [...totals.values()];
      const keyOf = new Map(list.map((t) => [capKey(t.policy, t.sender), `${t.policy}\0${t.sender}`]));
      for (const r of rowsOf<{ key: string; count: number | string }>(
        await tx.execute(sql`
          insert into rate_limit_buckets (policy, key, window_start, count)
          values ${sql.join(list.map((t) => sql`(${t.policy}, ${capKey(t.policy, t.sender)}, date_trunc('hour', now()), ${t.n})`), sql`, `)}
          on conflict (policy, key, window_start) do update set count = rate_limit_buckets.count + excluded.count
          returning key, count`),
      )) {
        finals.set(keyOf.get(r.key)!, Number(r.count));
      }
    }
    const seen = new Map<string, number>();
    const countOf = (policy: Cap, sender: string) => {
      const key = `${policy}\0${sender}`;
      const k = (seen.get(key) ?? 0) + 1;
      seen.set(key, k);
      return finals.get(key)! - totals.get(key)!.n + k;
    };
    const overCap: number[] = [];
    const counted = live.map((x, j) => {
      const out: Record<Cap, number> = { "inbound:new": 0, "inbound:ack": 0 };
      for (const u of uses[j]) out[u.policy] = countOf(u.policy, u.sender);
      if (uses[j].length > 0 && out["inbound:new"] > settings.SUPPORT_INBOUND_NEW_PER_HOUR) overCap.push(j);
      return out;
    });
    // A flood from one address: kept, but on that sender's latest request (maybe one opened just now).
    const latest = new Map<string, Target>();
    if (overCap.length > 0) {
      const senders = [...new Set(overCap.map((j) => live[j].c.sender))];
      for (const r of rowsOf<Target>(
        await tx.execute(sql`
          select distinct on (email) id, reference, email, status, user_id from support_requests
          where email in (${inList(senders)}) and channel = 'email' and status <> 'merged'
          order by email, (status <> 'resolved') desc, id desc`),
      )) {
        latest.set(r.email, { ...r, id: Number(r.id), user_id: r.user_id === null ? null : Number(r.user_id) });
      }
    }
    const openedNow = new Map<string, number>(); // sender → index (in items) of the email that opened it
    live.forEach((x, j) => {
      if (plans[x.i].kind === "message") return;
      if (overCap.includes(j)) {
        const creator = openedNow.get(x.c.sender);
        if (creator !== undefined) {
          plans[x.i] = { kind: "groupedNew", creator };
          return;
        }
        const target = latest.get(x.c.sender);
        if (target) {
          plans[x.i] = { kind: "message", outcome: "grouped", target };
          return;
        }
      }
      const wantsAck = !x.c.automatic && counted[j]["inbound:ack"] <= settings.SUPPORT_INBOUND_ACKS_PER_HOUR;
      plans[x.i] = { kind: "request", wantsAck };
      openedNow.set(x.c.sender, x.i);
    });

    // New requests, in one insert (a reference taken meanwhile is drawn again).
    const created = new Map<number, Target>(); // index in items → request
    let toCreate = items.map((_, i) => i).filter((i) => plans[i].kind === "request");
    for (let attempt = 0; toCreate.length > 0; attempt++) {
      if (attempt > 5) throw new Error("Could not allocate request references.");
      const refs = toCreate.map(() => newReference());
      if (new Set(refs).size !== refs.length) continue;
      const rows = rowsOf<Target>(
        await tx.execute(sql`
          insert into support_requests (reference, email, name, user_id, channel, topic)
          values ${sql.join(
            toCreate.map((i, k) => {
              const c = items[i].c;
              return sql`(${refs[k]}, ${c.sender}, ${c.senderName || c.sender}, (select id from users where email = ${c.sender}), 'email',
                ${topicForEmail(c.subject, c.body)})`;
            }),
            sql`, `,
          )}
          on conflict (reference) do nothing
          returning id, reference, email, status, user_id`),
      );
      const got = new Map(rows.map((r) => [r.reference, { ...r, id: Number(r.id), user_id: r.user_id === null ? null : Number(r.user_id) }]));
      toCreate = toCreate.filter((i, k) => {
        const row = got.get(refs[k]);
        if (row) created.set(i, row);
        return !row;
      });
    }

    // Messages and thread ids, one insert each; the acknowledgement's Message-ID joins the thread now.
    const filed: Filed[] = [];
    const messages: { requestId: number; eventId: number; c: Classified; ackId: string | null }[] = [];
    const answered = new Set<number>();
    const audits: Parameters<typeof recordAudits>[1][number][] = [];
    const doneRows: { eventId: number; outcome: string; requestId: number | null }[] = [];
    for (const [i, { eventId, c }] of items.entries()) {
      const plan = plans[i];
      if (plan.kind === "skip") {
        filed.push({ outcome: "ignored", requestId: null, ack: null });
      } else if (plan.kind === "bounce") {
        await recordBounce(tx, eventId, c);
        doneRows.push({ eventId, outcome: "bounce", requestId: null });
        filed.push({ outcome: "bounce", requestId: null, ack: null });
      } else if (plan.kind === "ignored") {
        doneRows.push({ eventId, outcome: "ignored", requestId: null });
        filed.push({ outcome: "ignored", requestId: null, ack: null });
      } else if (plan.kind === "message" || plan.kind === "groupedNew") {
        const target = plan.kind === "message" ? plan.target : created.get(plan.creator)!;
        const outcome = plan.kind === "message" ? plan.outcome : "grouped";
        messages.push({ requestId: target.id, eventId, c, ackId: null });
        answered.add(target.id);
        doneRows.push({ eventId, outcome, requestId: target.id });
        filed.push({ outcome, requestId: target.id, reference: target.reference, ack: null });
      } else {
        const request = created.get(i)!;
        const ackId = plan.wantsAck ? newMessageId() : null;
        messages.push({ requestId: request.id, eventId, c, ackId });
        audits.push({
          action: "support.request_created",
          subjectId: request.user_id,
          detail: { requestId: request.id, reference: request.reference, channel: "email" },
        });
        doneRows.push({ eventId, outcome: "request", requestId: request.id });
        filed.push({
          outcome: "request",
          requestId: request.id,
          reference: request.reference,
          ack: ackId
            ? {
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
              }
            : null,
        });
      }
    }
    if (messages.length > 0) {
      await tx.execute(sql`
        insert into support_messages
          (request_id, kind, channel, body, from_address, subject, message_id, attachments, from_html, inbound_event_id)
        values ${sql.join(
          messages.map(
            ({ requestId, eventId, c }) =>
              sql`(${requestId}, 'customer', 'email', ${c.body}, ${c.sender}, ${c.subject}, ${c.messageId},
                ${c.attachments.length ? JSON.stringify(c.attachments) : null}::jsonb, ${c.fromHtml}, ${eventId})`,
          ),
          sql`, `,
        )}`);
      // In arrival order, so that the first email naming a Message-ID keeps it (as one by one).
      const ids = messages.flatMap(({ requestId, c, ackId }) => [
        ...(c.messageId ? [sql`(${c.messageId}::text, ${requestId}::bigint, false, now())`] : []),
        ...(ackId ? [sql`(${ackId}::text, ${requestId}::bigint, true, now() + interval '1 millisecond')`] : []),
      ]);
      if (ids.length > 0) {
        await tx.execute(sql`
          insert into support_thread_ids (message_id, request_id, ours, created_at)
          values ${sql.join(ids, sql`, `)}
          on conflict (message_id) do nothing`);
      }
    }
    if (answered.size > 0) {
      // An answer puts a waiting (or resolved) request back in the queue.
      await tx.execute(sql`
        update support_requests set updated_at = now(), status = 'open', resolved_at = null
        where id in (${inList([...answered])})`);
    }
    await recordAudits(tx, audits);
    if (doneRows.length > 0) {
      await tx.execute(sql`
        update inbound_events e set status = 'done', outcome = v.outcome, request_id = v.request_id,
          processed_at = now(), last_error = null
        from (values ${sql.join(
          doneRows.map((d) => sql`(${d.eventId}::bigint, ${d.outcome}::text, ${d.requestId}::bigint)`),
          sql`, `,
        )}) as v(id, outcome, request_id)
        where e.id = v.id`);
    }
    return filed;
  });
}
