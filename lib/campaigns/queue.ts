// The campaign queue, in plain SQL that runs on PGlite and PostgreSQL alike
// (docs/decisions/0004-campaign-queue.md). Recipients are enqueued in keyset
// chunks by user id; workers claim batches with FOR UPDATE SKIP LOCKED and a
// lease; a batch keeps its key and content until the provider has taken it.
import { sql, type SQL } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { issueResetLinksInBatch } from "@/lib/reset-links";
import { sealLink } from "./seal";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export type CampaignScope = { kind: "customers" } | { kind: "everyone" } | { kind: "emails"; emails: string[] };

export function parseScope(stored: string): CampaignScope {
  if (stored === "everyone") return { kind: "everyone" };
  if (stored.startsWith("{")) {
    const parsed = JSON.parse(stored) as { emails?: string[] };
    return { kind: "emails", emails: parsed.emails ?? [] };
  }
  return { kind: "customers" };
}

export function scopeCondition(scope: CampaignScope): SQL {
  if (scope.kind === "everyone") return sql`true`;
  if (scope.kind === "customers") return sql`u.role = 'customer'`;
  if (scope.emails.length === 0) return sql`false`;
  return sql`u.email in (${sql.join(scope.emails.map((e) => sql`${e}`), sql`, `)})`;
}

/**
 * Adds the next chunk of recipients (users in scope after the cursor, in id
 * order). Only one worker enqueues a campaign at a time; the others skip.
 * Returns the number of users looked at, or null when another worker holds it.
 */
export async function enqueueChunk(db: Db, campaignId: number, chunk: number): Promise<number | null> {
  return db.transaction(async (tx) => {
    const [campaign] = rowsOf<{ scope: string; cursor: number | string }>(
      await tx.execute(sql`
        select scope, enqueued_through_user_id as cursor from campaigns
        where id = ${campaignId} and status = 'running' and not enqueue_done
        for update skip locked`),
    );
    if (!campaign) return null;
    const [result] = rowsOf<{ last: number | string | null; n: number }>(
      await tx.execute(sql`
        with candidates as (
          select u.id, u.email from users u
          where u.id > ${Number(campaign.cursor)} and u.disabled_at is null and ${scopeCondition(parseScope(campaign.scope))}
          order by u.id limit ${chunk}
        ), inserted as (
          insert into campaign_recipients (campaign_id, user_id, email, status)
          select ${campaignId}, c.id, c.email,
            case when exists (select 1 from suppressed_emails s where s.email = c.email) then 'suppressed' else 'pending' end
          from candidates c
          on conflict do nothing
          returning 1
        )
        select max(id)::int8 as last, count(*)::int as n from candidates`),
    );
    const looked = Number(result?.n ?? 0);
    await tx.execute(sql`
      update campaigns set
        enqueued_through_user_id = coalesce(${result?.last === null || result?.last === undefined ? null : Number(result.last)}::int8, enqueued_through_user_id),
        enqueue_done = ${looked < chunk}
      where id = ${campaignId}`);
    return looked;
  });
}

export type ClaimedRecipient = { id: number; userId: number; email: string; name: string | null; sealedLink: string };
export type ClaimedBatch = { campaignId: number; batchKey: string; recipients: ClaimedRecipient[]; retry: boolean };

type Row = { id: number | string; user_id: number | string; email: string; name: string | null; sealed_link: string | null; batch_key: string };

function toRecipients(rows: Row[]): ClaimedRecipient[] {
  return rows
    .map((r) => ({ id: Number(r.id), userId: Number(r.user_id), email: r.email, name: r.name, sealedLink: r.sealed_link ?? "" }))
    .sort((a, b) => a.id - b.id);
}

// Names by primary key (a join in the claiming UPDATE can turn into a scan of users).
async function withNames(tx: Tx, recipients: ClaimedRecipient[]): Promise<ClaimedRecipient[]> {
  if (recipients.length === 0) return recipients;
  const names = new Map(
    rowsOf<{ id: number | string; name: string | null }>(
      await tx.execute(sql`select id, name from users where id in (${sql.join(recipients.map((r) => sql`${r.userId}`), sql`, `)})`),
    ).map((u) => [Number(u.id), u.name]),
  );
  return recipients.map((r) => ({ ...r, name: names.get(r.userId) ?? null }));
}

/** An abandoned batch (its worker died or gave up): same key, same content. */
async function claimAbandoned(tx: Tx, campaignId: number, worker: string, leaseSeconds: number): Promise<ClaimedBatch | null> {
  const candidates = rowsOf<{ batch_key: string }>(
    await tx.execute(sql`
      select distinct batch_key from campaign_recipients
      where campaign_id = ${campaignId} and status = 'sending' and claimed_until < clock_timestamp()
      limit 5`),
  );
  for (const { batch_key: key } of candidates) {
    const [lock] = rowsOf<{ ok: boolean }>(await tx.execute(sql`select pg_try_advisory_xact_lock(hashtext(${key})) as ok`));
    if (!lock?.ok) continue;
    const rows = rowsOf<Row>(
      await tx.execute(sql`
        update campaign_recipients r set claimed_by = ${worker},
          claimed_until = clock_timestamp() + make_interval(secs => ${leaseSeconds}),
          attempts = r.attempts + 1, updated_at = now()
        where r.campaign_id = ${campaignId} and r.batch_key = ${key}
          and r.status = 'sending' and r.claimed_until < clock_timestamp()
        returning r.id, r.user_id, r.email, null as name, r.sealed_link, r.batch_key`),
    );
    if (rows.length > 0) return { campaignId, batchKey: key, recipients: await withNames(tx, toRecipients(rows)), retry: true };
  }
  return null;
}

/** A fresh batch: the next pending recipients, their links issued and sealed. */
async function claimFresh(tx: Tx, campaignId: number, worker: string, size: number, leaseSeconds: number): Promise<ClaimedBatch | null> {
  const rows = rowsOf<Row>(
    await tx.execute(sql`
      with picked as (
        select id from campaign_recipients
        where campaign_id = ${campaignId} and status = 'pending'
        order by id limit ${size}
        for update skip locked
      )
      update campaign_recipients r set status = 'sending', claimed_by = ${worker},
        claimed_until = clock_timestamp() + make_interval(secs => ${leaseSeconds}),
        attempts = r.attempts + 1, updated_at = now(),
        batch_key = 'rd-campaign-' || ${campaignId}::text || '-batch-' || (select min(id) from picked)::text
      where r.id in (select id from picked)
      returning r.id, r.user_id, r.email, null as name, r.sealed_link, r.batch_key`),
  );
  if (rows.length === 0) return null;
  // Addresses that bounced or complained since enqueueing are not sent to.
  const suppressed = new Set(
    rowsOf<{ email: string }>(
      await tx.execute(sql`select email from suppressed_emails where email in (${sql.join(rows.map((r) => sql`${r.email}`), sql`, `)})`),
    ).map((r) => r.email),
  );
  if (suppressed.size > 0) {
    await tx.execute(sql`
      update campaign_recipients set status = 'suppressed', batch_key = null, claimed_by = null, claimed_until = null
      where campaign_id = ${campaignId} and email in (${sql.join([...suppressed].map((e) => sql`${e}`), sql`, `)})
        and status = 'sending'`);
  }
  const recipients = await withNames(tx, toRecipients(rows).filter((r) => !suppressed.has(r.email)));
  if (recipients.length === 0) return null;
  const links = await issueResetLinksInBatch(tx, recipients.map((r) => r.userId), "campaign");
  for (const r of recipients) {
    const link = links.get(r.userId)!;
    r.sealedLink = sealLink({ url: link.url, expiresAt: link.expiresAt.toISOString() });
  }
  await tx.execute(sql`
    update campaign_recipients r set sealed_link = v.sealed
    from (values ${sql.join(recipients.map((r) => sql`(${r.id}::int8, ${r.sealedLink})`), sql`, `)}) as v(id, sealed)
    where r.id = v.id`);
  return { campaignId, batchKey: rows[0].batch_key, recipients, retry: false };
}

export async function claimBatch(
  db: Db,
  campaignId: number,
  opts: { worker: string; size: number; leaseSeconds: number },
): Promise<ClaimedBatch | null> {
  return db.transaction(async (tx) => {
    const [running] = rowsOf<{ id: number }>(
      await tx.execute(sql`select id from campaigns where id = ${campaignId} and status = 'running'`),
    );
    if (!running) return null;
    return (
      (await claimAbandoned(tx, campaignId, opts.worker, opts.leaseSeconds)) ??
      (await claimFresh(tx, campaignId, opts.worker, opts.size, opts.leaseSeconds))
    );
  });
}

/** Extends the lease just before calling the provider; false if another worker took the batch. */
export async function renewLease(db: Db, batch: ClaimedBatch, worker: string, leaseSeconds: number): Promise<boolean> {
  const rows = rowsOf<{ id: number }>(
    await db.execute(sql`
      update campaign_recipients set claimed_until = clock_timestamp() + make_interval(secs => ${leaseSeconds})
      where campaign_id = ${batch.campaignId} and batch_key = ${batch.batchKey} and status = 'sending' and claimed_by = ${worker}
      returning id`),
  );
  return rows.length === batch.recipients.length;
}

/** Records the provider's ids; returns the recipients this call moved to sent (none if another worker did). */
export async function markBatchSent(
  executor: Db | Tx,
  batch: ClaimedBatch,
  ids: string[],
): Promise<{ id: number; userId: number; email: string; messageId: string }[]> {
  const values = batch.recipients.map((r, i) => sql`(${r.id}::int8, ${ids[i] ?? null})`);
  const rows = rowsOf<{ id: number | string; user_id: number | string; email: string; provider_message_id: string }>(
    await executor.execute(sql`
      update campaign_recipients r set status = 'sent', provider_message_id = v.message_id, sent_at = now(),
        sealed_link = null, claimed_by = null, claimed_until = null, last_error = null, updated_at = now()
      from (values ${sql.join(values, sql`, `)}) as v(id, message_id)
      where r.id = v.id and r.status = 'sending'
      returning r.id, r.user_id, r.email, r.provider_message_id`),
  );
  return rows.map((r) => ({ id: Number(r.id), userId: Number(r.user_id), email: r.email, messageId: r.provider_message_id }));
}

/** A permanent refusal (e.g. 422): these recipients are failed, with the reason. */
export async function markBatchFailed(db: Db, batch: ClaimedBatch, error: string) {
  await db.execute(sql`
    update campaign_recipients set status = 'failed', last_error = ${error.slice(0, 500)}, sealed_link = null,
      claimed_by = null, claimed_until = null, updated_at = now()
    where campaign_id = ${batch.campaignId} and batch_key = ${batch.batchKey} and status = 'sending'`);
}

/** Gives a batch back (transient failures): any worker retries it, same key, after `delaySeconds`. */
export async function releaseBatch(db: Db, batch: ClaimedBatch, error: string, delaySeconds: number) {
  await db.execute(sql`
    update campaign_recipients set claimed_by = null, last_error = ${error.slice(0, 500)},
      claimed_until = clock_timestamp() + make_interval(secs => ${delaySeconds}), updated_at = now()
    where campaign_id = ${batch.campaignId} and batch_key = ${batch.batchKey} and status = 'sending'`);
}

/** Marks a running campaign completed once nothing is left to send. */
export async function completeIfDone(db: Db, campaignId: number): Promise<boolean> {
  const rows = rowsOf<{ id: number }>(
    await db.execute(sql`
      update campaigns set status = 'completed', completed_at = now()
      where id = ${campaignId} and status = 'running' and enqueue_done
        and not exists (select 1 from campaign_recipients where campaign_id = ${campaignId} and status in ('pending', 'sending'))
      returning id`),
  );
  return rows.length === 1;
}

export async function runningCampaignIds(db: Db): Promise<number[]> {
  return rowsOf<{ id: number | string }>(
    await db.execute(sql`select id from campaigns where status = 'running' order by id`),
  ).map((r) => Number(r.id));
}
