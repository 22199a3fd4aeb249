// Resend's webhooks (SPEC 4.8, 5.7): the Svix signature and timestamp are
// verified on the raw body by the Resend SDK; a replay (a svix-id seen before)
// is refused; delivered / bounced / complained / failed are recorded per
// recipient and per sent email, and bounced or complained addresses are
// suppressed from later sends. All or nothing, in one transaction.
// email.received (support by email) is stored here and answered at once; the
// inbound worker fetches and files it afterwards (decision 0007).
import { Resend } from "resend";
import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { env } from "@/lib/env";
import { kickInboundWorker } from "@/lib/support/inbound/worker";

export type WebhookAnswer = { status: 200 | 400 | 503; body: { ok: boolean; error?: string } };

const OUTCOMES: Record<string, "delivered" | "bounced" | "complained" | "failed"> = {
  "email.delivered": "delivered",
  "email.bounced": "bounced",
  "email.complained": "complained",
  "email.failed": "failed",
};

type ResendEvent = {
  type?: unknown;
  data?: { email_id?: unknown; to?: unknown; bounce?: { type?: unknown } };
};

export async function handleResendWebhook(db: Db, rawBody: string, headers: Headers): Promise<WebhookAnswer> {
  const secret = env().RESEND_WEBHOOK_SECRET;
  if (!secret) return { status: 503, body: { ok: false, error: "Webhooks are not configured (RESEND_WEBHOOK_SECRET)." } };
  const id = headers.get("svix-id");
  const timestamp = headers.get("svix-timestamp");
  const signature = headers.get("svix-signature");
  if (!id || !timestamp || !signature || id.length > 200) {
    return { status: 400, body: { ok: false, error: "Missing Svix headers." } };
  }
  let event: ResendEvent;
  try {
    // The SDK checks the HMAC and that the timestamp is within five minutes.
    event = new Resend("re_verify_only").webhooks.verify({
      payload: rawBody,
      headers: { id, timestamp, signature },
      webhookSecret: secret,
    }) as ResendEvent;
  } catch {
    return { status: 400, body: { ok: false, error: "Invalid signature or timestamp." } };
  }
  if (!event || typeof event !== "object" || Array.isArray(event)) {
    return { status: 400, body: { ok: false, error: "The event is not a JSON object." } };
  }
  const type = typeof event.type === "string" ? event.type.slice(0, 100) : "unknown";
  const messageId = typeof event.data?.email_id === "string" ? event.data.email_id.slice(0, 200) : null;
  const to = Array.isArray(event.data?.to) ? event.data.to : [event.data?.to];
  const email = typeof to[0] === "string" ? to[0].trim().toLowerCase().slice(0, 254) : null;

  if (type === "email.received") {
    if (!messageId) return { status: 400, body: { ok: false, error: "The event names no email_id." } };
    // Both rows in one statement (atomic without a transaction's round trips).
    // Keyed by the email too: one email announced twice is filed once.
    const inserted = rowsOf<{ id: number }>(
      await db.execute(sql`
        with e as (
          insert into email_events (svix_id, type, provider_message_id, email, payload)
          values (${id}, ${type}, ${messageId}, ${email}, ${JSON.stringify(event)}::jsonb)
          on conflict (svix_id) do nothing returning id, payload),
        i as (
          insert into inbound_events (svix_id, email_id, payload)
          select ${id}, ${messageId}, payload from e
          on conflict do nothing)
        select id from e`),
    );
    if (inserted.length === 0) return { status: 400, body: { ok: false, error: "This event was already received." } };
    kickInboundWorker(db);
    return { status: 200, body: { ok: true } };
  }

  const answer = await db.transaction(async (tx) => {
    const inserted = rowsOf<{ id: number }>(
      await tx.execute(sql`
        insert into email_events (svix_id, type, provider_message_id, email, payload)
        values (${id}, ${type}, ${messageId}, ${email}, ${JSON.stringify(event)}::jsonb)
        on conflict (svix_id) do nothing returning id`),
    );
    if (inserted.length === 0) return { status: 400 as const, body: { ok: false, error: "This event was already received." } };
    const outcome = OUTCOMES[type];
    if (!outcome || !messageId) return { status: 200 as const, body: { ok: true } };
    // A later "delivered" never hides an earlier bounce or complaint.
    const from = outcome === "delivered" ? sql`('sending', 'sent')` : sql`('sending', 'sent', 'delivered', 'failed', 'bounced')`;
    await tx.execute(sql`
      update campaign_recipients set status = ${outcome}, updated_at = now()
      where provider_message_id = ${messageId} and status in ${from}`);
    await tx.execute(sql`
      update sent_emails set status = ${outcome}
      where provider_message_id = ${messageId} and status in ${from}`);
    const transientBounce = outcome === "bounced" && event.data?.bounce?.type === "Transient";
    if ((outcome === "bounced" && !transientBounce) || outcome === "complained") {
      if (email) {
        await tx.execute(sql`
          insert into suppressed_emails (email, reason) values (${email}, ${outcome})
          on conflict (email) do nothing`);
      }
    }
    return { status: 200 as const, body: { ok: true } };
  });
  return answer;
}
