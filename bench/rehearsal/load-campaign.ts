// Load phase, part two: the breach-notice campaign. A sample goes through the
// real path (campaign workers → Resend SDK → the local Resend-compatible
// server at a set provider rate) and a sample of webhooks through the real
// signed path (HTTP to the built app). At 24 M the real path would take hours
// at any provider rate, so the rest is recorded set-based, row for row as a
// finished campaign and its webhooks leave the tables: campaign_recipients,
// sent_emails, one campaign reset link per recipient, email_events,
// suppressed_emails. The report says which part went which way.
import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { recordAudit } from "@/lib/audit";
import { createCampaign, pauseCampaign, runWorker, startCampaign } from "@/lib/campaigns";
import { resetEnvCache } from "@/lib/env";
import { startFakeResend } from "@/test/fake-resend";
import { ACTOR, CAMPAIGN_NAME, campaignId, outcomeOf, type Shares } from "./outcomes";
import { log, progress, round, step, timed, type Figures } from "./steps";

export async function campaignThroughRealPath(db: Db, options: { sample: number; callsPerSecond: number; workers: number }): Promise<Figures> {
  return step(db, "campaign-real", `Campaign: ${options.sample.toLocaleString("en-US")} emails through the real path at ${options.callsPerSecond} provider calls/s`, async () => {
    const fake = await startFakeResend({ keepBodies: false, callsPerSecond: options.callsPerSecond });
    Object.assign(process.env, {
      EMAIL_TRANSPORT: "resend",
      RESEND_API_KEY: "re_rehearsal",
      RESEND_BASE_URL: fake.url,
      CAMPAIGN_CALLS_PER_SECOND: String(options.callsPerSecond),
    });
    resetEnvCache();
    try {
      const id = (await campaignId(db)) ?? (await createCampaign(db, { name: CAMPAIGN_NAME }, ACTOR));
      await startCampaign(db, id, ACTOR);
      const controller = new AbortController();
      const show = progress("emails sent", options.sample);
      const watch = setInterval(() => {
        show(fake.sent.length);
        if (fake.sent.length >= options.sample) controller.abort();
      }, 100);
      const { seconds } = await timed(() =>
        Promise.all(Array.from({ length: options.workers }, (_, i) => runWorker(db, { workerId: `rehearsal-${i}`, signal: controller.signal, idleMs: 50 }))),
      );
      clearInterval(watch);
      show(fake.sent.length, true);
      await pauseCampaign(db, id, ACTOR);
      const [counts] = rowsOf<{ sent: string; enqueued: string }>(
        await db.execute(sql`select count(*) filter (where status = 'sent')::int8 as sent, count(*)::int8 as enqueued from campaign_recipients where campaign_id = ${id}`),
      );
      const sent = Number(counts.sent);
      const ceiling = options.callsPerSecond * 100;
      return {
        campaignId: id,
        sentThroughRealPath: sent,
        enqueuedByWorkers: Number(counts.enqueued),
        workers: options.workers,
        providerCallsPerSecond: options.callsPerSecond,
        providerCeilingEmailsPerSecond: ceiling,
        seconds: round(seconds, 1),
        emailsPerSecond: round(sent / seconds, 1),
        ratioToProviderCeiling: round(sent / seconds / ceiling),
        providerCalls: fake.calls.length,
        providerRefusals429: fake.calls.filter((c) => c.status === 429).length,
      };
    } finally {
      await fake.close();
    }
  });
}

const CHUNK = 250_000;

/** The rest of the campaign and its webhooks, set-based, chunk by chunk (each chunk commits; a re-run skips what is there). */
export async function campaignRestSetBased(db: Db, options: { shares: Shares }): Promise<Figures> {
  return step(db, "campaign-rest", "Campaign: the rest recorded set-based as a finished campaign leaves it", async () => {
    const id = (await campaignId(db))!;
    const [{ subject }] = rowsOf<{ subject: string }>(await db.execute(sql`select subject from sent_emails where kind = 'breach_notice' limit 1`));
    const outcome = (column: string) => outcomeOf(sql.raw(column), options.shares);
    // What every chunk writes for its recipients (rcp: user_id, email, status, provider_message_id, new_link).
    const followUps = sql`
      sent as (
        insert into sent_emails ("to", user_id, kind, subject, status, provider_message_id)
        select email, user_id, 'breach_notice', ${subject}, status, provider_message_id from rcp),
      links as (
        insert into reset_tokens (user_id, token_hash, purpose, expires_at)
        select user_id, encode(sha256(convert_to(gen_random_uuid()::text, 'UTF8')), 'hex'), 'campaign', now() + interval '24 hours'
        from rcp where new_link),
      events as (
        insert into email_events (svix_id, type, provider_message_id, email, payload)
        select 'msg_rehearsal_' || provider_message_id, 'email.' || status, provider_message_id, email,
          jsonb_build_object('type', 'email.' || status, 'created_at', now(),
            'data', jsonb_build_object('email_id', provider_message_id, 'to', jsonb_build_array(email), 'subject', ${subject}::text))
        from rcp where status <> 'sent'),
      suppressed as (
        insert into suppressed_emails (email, reason) select email, status from rcp where status in ('bounced', 'complained')
        on conflict (email) do nothing)
      select count(*)::int as n from rcp`;
    const figures: Figures = {};

    // 1. Emails of the real sample that no real webhook answered: their webhooks, set-based.
    const sample = await timed(async () => {
      const [row] = rowsOf<{ n: number }>(
        await db.execute(sql`
          with picked as (
            select r.id, r.provider_message_id, ${outcome("r.user_id")} as outcome from campaign_recipients r
            where r.campaign_id = ${id} and r.status = 'sent'),
          rcp as (
            update campaign_recipients r set status = p.outcome, updated_at = now() from picked p
            where r.id = p.id and p.outcome <> 'sent'
            returning r.user_id, r.email, r.status, r.provider_message_id),
          mails as (
            update sent_emails s set status = rcp.status from rcp where s.provider_message_id = rcp.provider_message_id),
          events as (
            insert into email_events (svix_id, type, provider_message_id, email, payload)
            select 'msg_rehearsal_' || provider_message_id, 'email.' || status, provider_message_id, email,
              jsonb_build_object('type', 'email.' || status, 'created_at', now(), 'data', jsonb_build_object('email_id', provider_message_id, 'to', jsonb_build_array(email)))
            from rcp),
          suppressed as (
            insert into suppressed_emails (email, reason) select email, status from rcp where status in ('bounced', 'complained')
            on conflict (email) do nothing)
          select count(*)::int as n from rcp`),
      );
      return row.n;
    });
    figures.realSampleWebhooksSetBased = sample.value;

    // 2. Recipients the workers enqueued but did not send: sent now, with their final state.
    const [bounds] = rowsOf<{ lo: string | null; hi: string | null }>(
      await db.execute(sql`select min(id)::int8 as lo, max(id)::int8 as hi from campaign_recipients where campaign_id = ${id} and status in ('pending', 'sending')`),
    );
    let enqueued = 0;
    if (bounds.lo !== null) {
      const lo = Number(bounds.lo) - 1;
      const hi = Number(bounds.hi);
      const show = progress("enqueued recipients sent", hi - lo);
      for (let from = lo; from < hi; from += CHUNK) {
        const [row] = rowsOf<{ n: number }>(
          await db.execute(sql`
            with picked as (
              select r.id, r.status as was, ${outcome("r.user_id")} as outcome, gen_random_uuid()::text as message_id
              from campaign_recipients r
              where r.campaign_id = ${id} and r.id > ${from} and r.id <= ${from + CHUNK} and r.status in ('pending', 'sending')),
            rcp as (
              update campaign_recipients r set status = p.outcome, provider_message_id = p.message_id, sent_at = now(),
                attempts = r.attempts + 1, batch_key = coalesce(r.batch_key, 'rd-campaign-' || ${id}::text || '-batch-' || (r.id / 100 * 100)::text),
                sealed_link = null, claimed_by = null, claimed_until = null, last_error = null, updated_at = now()
              from picked p where r.id = p.id
              returning r.user_id, r.email, r.status, r.provider_message_id, p.was = 'pending' as new_link),
            ${followUps}`),
        );
        enqueued += row.n;
        show(Math.min(from + CHUNK, hi) - lo);
      }
      show(hi - lo, true);
    }
    figures.enqueuedSentSetBased = enqueued;

    // 3. Everyone the workers had not reached: enqueued and sent in one pass per chunk of user ids.
    const [range] = rowsOf<{ cursor: string; hi: string }>(
      await db.execute(sql`select c.enqueued_through_user_id::int8 as cursor, (select max(id) from users)::int8 as hi from campaigns c where c.id = ${id}`),
    );
    const cursor = Number(range.cursor);
    const top = Number(range.hi);
    let added = 0;
    const show = progress("users reached", top - cursor);
    const rest = await timed(async () => {
      for (let from = cursor; from < top; from += CHUNK) {
        const [row] = rowsOf<{ n: number }>(
          await db.execute(sql`
            with cand as (
              select u.id as user_id, u.email, ${outcome("u.id")} as outcome, gen_random_uuid()::text as message_id
              from users u
              where u.id > ${from} and u.id <= ${from + CHUNK} and u.role = 'customer' and u.disabled_at is null),
            rcp as (
              insert into campaign_recipients (campaign_id, user_id, email, status, attempts, batch_key, provider_message_id, sent_at)
              select ${id}, user_id, email, outcome, 1, 'rd-campaign-' || ${id}::text || '-batch-' || (user_id / 100 * 100)::text, message_id, now()
              from cand
              on conflict (campaign_id, user_id) do nothing
              returning user_id, email, status, provider_message_id, true as new_link),
            ${followUps}`),
        );
        added += row.n;
        await db.execute(sql`update campaigns set enqueued_through_user_id = ${Math.min(from + CHUNK, top)} where id = ${id}`);
        show(Math.min(from + CHUNK, top) - cursor);
      }
    });
    show(top - cursor, true);
    await db.execute(sql`update campaigns set status = 'completed', completed_at = now(), enqueue_done = true where id = ${id}`);
    await recordAudit(db, { action: "campaign.completed", detail: { campaignId: id } });
    const states = Object.fromEntries(
      rowsOf<{ status: string; n: string }>(
        await db.execute(sql`select status, count(*)::int8 as n from campaign_recipients where campaign_id = ${id} group by status`),
      ).map((r) => [r.status, Number(r.n)]),
    );
    log(`  recipients by state: ${JSON.stringify(states)}`);
    return { ...figures, addedSetBased: added, addedSeconds: round(rest.seconds, 1), recipientsByState: states };
  });
}
