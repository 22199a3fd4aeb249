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

type Received = { svixId: string; emailId: string; email: string | null; payload: string };

/**
 * Stores received events, both rows in one statement, and says which were new
 * (a svix-id seen before is a replay). Keyed by the email too: one email
 * announced twice is filed once.
 */
async function insertReceived(db: Db, events: readonly Received[]): Promise<Set<string>> {
  const rows = rowsOf<{ svix_id: string }>(
    await db.execute(sql`
      with v (svix_id, email_id, email, payload) as (values ${sql.join(
        events.map((e) => sql`(${e.svixId}::text, ${e.emailId}::text, ${e.email}::text, ${e.payload}::jsonb)`),
        sql`, `,
      )}),
      e as (
        insert into email_events (svix_id, type, provider_message_id, email, payload)
        select svix_id, 'email.received', email_id, email, payload from v
        on conflict (svix_id) do nothing returning svix_id, provider_message_id, payload),
      i as (
        insert into inbound_events (svix_id, email_id, payload)
        select svix_id, provider_message_id, payload from e
        on conflict do nothing)
      select svix_id from e`),
  );
  return new Set(rows.map((r) => r.svix_id));
}

// Group commit: events that arrive while a write is under way are written
// together in the next statement; each request is answered only once its row
// is committed. If a group fails, each event is written alone.
type Waiter = { event: Received; resolve: (fresh: boolean) => void; reject: (error: unknown) => void };
const pendingWrites = new WeakMap<Db, { queue: Waiter[]; busy: boolean }>();

async function flushReceived(db: Db, state: { queue: Waiter[]; busy: boolean }) {
  state.busy = true;
  try {
    while (state.queue.length > 0) {
      const group = state.queue.splice(0, 200);
      try {
        const fresh = await insertReceived(db, group.map((w) => w.event));
        const answered = new Set<string>();
        for (const w of group) {
          // The same svix-id twice in one group: the first is new, the second a replay.
          const isNew = fresh.has(w.event.svixId) && !answered.has(w.event.svixId);
          answered.add(w.event.svixId);
          w.resolve(isNew);
        }
      } catch (error) {
        if (group.length === 1) {
          group[0].reject(error);
          continue;
        }
        for (const w of group) {
          await insertReceived(db, [w.event]).then((fresh) => w.resolve(fresh.has(w.event.svixId)), w.reject);
        }
      }
    }
  } finally {
    state.busy = false;
  }
}

function storeReceived(db: Db, event: Received): Promise<boolean> {
  let state = pendingWrites.get(db);
  if (!state) {
    state = { queue: [], busy: false };
    pendingWrites.set(db, state);
  }
  const promise = new Promise<boolean>((resolve, reject) => state.queue.push({ event, resolve, reject }));
  if (!state.busy) void flushReceived(db, state);
  return promise;
}

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
    const fresh = await storeReceived(db, { svixId: id, emailId: messageId, email, payload: JSON.stringify(event) });
    if (!fresh) return { status: 400, body: { ok: false, error: "This event was already received." } };
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
