// Resend's webhooks (SPEC 4.8, 5.7): the Svix signature and timestamp are
// verified on the raw body by the Resend SDK; a replay (a svix-id seen before)
// is refused; delivered / bounced / complained / failed are recorded per
// recipient and per sent email, and bounced or complained addresses are
// suppressed from later sends. All or nothing, in one transaction.
// email.received (support by email) is stored, in inbound_events only, and
// answered at once; the inbound worker fetches and files it afterwards
// (decision 0007).
import { Resend } from "resend";
import { sql } from "drizzle-orm";
import { executePrepared, rowsOf, type Db } from "@/db/client";
import { env } from "@/lib/env";
import { LEASE_SECONDS, type Claimed } from "@/lib/support/inbound/process";
import { handOffInbound } from "@/lib/support/inbound/worker";

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

type Received = { svixId: string; emailId: string; payload: string };

/**
 * Stores received events in one statement and says which were new and which
 * inbound events they made. A received event is stored once, in
 * inbound_events (delivery events go to email_events). A svix-id seen before
 * is a replay; the same email announced under a new svix-id is a new event
 * that makes no second inbound event (it is filed once). The inbound events
 * are leased to this instance as they are stored: its worker files them
 * without claiming them.
 */
async function insertReceived(db: Db, events: readonly Received[]): Promise<Map<string, Claimed | null>> {
  // One JSON parameter for the whole group: the same statement text (prepared once) for any group size.
  const asJson = (list: readonly Received[]) =>
    `[${list.map((e) => `{"svix_id":${JSON.stringify(e.svixId)},"email_id":${JSON.stringify(e.emailId)},"payload":${e.payload}}`).join(",")}]`;
  const inserted = await executePrepared<{ id: number | string; svix_id: string; email_id: string }>(
    db,
    sql`
      insert into inbound_events (svix_id, email_id, payload, attempts, next_attempt_at)
      select x.svix_id, x.email_id, x.payload, 1, now() + make_interval(secs => ${LEASE_SECONDS})
      from json_to_recordset(${asJson(events)}::json) as x(svix_id text, email_id text, payload jsonb)
      on conflict do nothing
      returning id, svix_id, email_id`,
  );
  const stored = new Map<string, Claimed | null>(inserted.map((r) => [r.svix_id, { id: Number(r.id), email_id: r.email_id, attempts: 1 }]));
  const others = events.filter((e) => !stored.has(e.svixId));
  if (others.length > 0) {
    // Not inserted: a replayed svix-id, or a new event about an email received
    // before (a rare path). Such an event's svix-id is kept in email_events, so
    // that its own replay is refused too; one in neither table is new.
    const fresh = await executePrepared<{ svix_id: string }>(
      db,
      sql`
        insert into email_events (svix_id, type, provider_message_id, payload)
        select x.svix_id, 'email.received', x.email_id, x.payload
        from json_to_recordset(${asJson(others)}::json)
          as x(svix_id text, email_id text, payload jsonb)
        where not exists (select 1 from inbound_events i where i.svix_id = x.svix_id)
        on conflict (svix_id) do nothing
        returning svix_id`,
    );
    for (const r of fresh) stored.set(r.svix_id, null);
  }
  return stored;
}

// Group commit: events that arrive while writes are under way are written
// together in the next statement; each request is answered only once its row
// is committed. A few groups may be in flight at once (on as many pooled
// connections), so a slow commit does not hold up the next group. If a group
// fails, each event is written alone.
const GROUPS_IN_FLIGHT = 4;
/** A new event (and the inbound event it made, if any), or a replay. */
type Stored = { fresh: false } | { fresh: true; inbound: Claimed | null };
type Waiter = { event: Received; resolve: (stored: Stored) => void; reject: (error: unknown) => void };
type Writes = { queue: Waiter[]; inFlight: number };
const pendingWrites = new WeakMap<Db, Writes>();

async function flushReceived(db: Db, state: Writes) {
  state.inFlight++;
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
          w.resolve(isNew ? { fresh: true, inbound: fresh.get(w.event.svixId)! } : { fresh: false });
        }
      } catch (error) {
        if (group.length === 1) {
          group[0].reject(error);
          continue;
        }
        for (const w of group) {
          await insertReceived(db, [w.event]).then((fresh) => {
            const inbound = fresh.get(w.event.svixId);
            w.resolve(inbound === undefined ? { fresh: false } : { fresh: true, inbound });
          }, w.reject);
        }
      }
    }
  } finally {
    state.inFlight--;
  }
}

function storeReceived(db: Db, event: Received): Promise<Stored> {
  let state = pendingWrites.get(db);
  if (!state) {
    state = { queue: [], inFlight: 0 };
    pendingWrites.set(db, state);
  }
  const promise = new Promise<Stored>((resolve, reject) => state.queue.push({ event, resolve, reject }));
  if (state.inFlight < GROUPS_IN_FLIGHT) void flushReceived(db, state);
  return promise;
}

// What no PostgreSQL text or jsonb value takes: NUL, and half a UTF-16 pair.
const UNSTORABLE_ESCAPE = /\\u(0000|d[89a-f])/i;
const storable = (value: string) => value.replace(/\u0000/g, "\ufffd").toWellFormed();

/**
 * The event as stored: its raw body as it came, unless it escapes a character
 * jsonb refuses (a NUL, a lone surrogate: an email's subject may carry them),
 * which are replaced by U+FFFD so that the event is kept, not refused forever.
 */
function storablePayload(rawBody: string, event: unknown): string {
  if (!UNSTORABLE_ESCAPE.test(rawBody)) return rawBody;
  return JSON.stringify(event, (_key, value: unknown) => (typeof value === "string" ? storable(value) : value));
}

// Verification needs no API key; one client serves every request.
const verifier = new Resend("re_verify_only");

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
    event = verifier.webhooks.verify({
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
  const type = typeof event.type === "string" ? storable(event.type.slice(0, 100)) : "unknown";
  const messageId = typeof event.data?.email_id === "string" ? storable(event.data.email_id.slice(0, 200)) : null;
  const to = Array.isArray(event.data?.to) ? event.data.to : [event.data?.to];
  const email = typeof to[0] === "string" ? storable(to[0].trim().toLowerCase().slice(0, 254)) : null;

  if (type === "email.received") {
    if (!messageId) return { status: 400, body: { ok: false, error: "The event names no email_id." } };
    const stored = await storeReceived(db, { svixId: id, emailId: messageId, payload: storablePayload(rawBody, event) });
    if (!stored.fresh) return { status: 400, body: { ok: false, error: "This event was already received." } };
    if (stored.inbound) handOffInbound(db, [stored.inbound]);
    return { status: 200, body: { ok: true } };
  }

  const answer = await db.transaction(async (tx) => {
    const inserted = rowsOf<{ id: number }>(
      await tx.execute(sql`
        insert into email_events (svix_id, type, provider_message_id, email, payload)
        values (${id}, ${type}, ${messageId}, ${email}, ${storablePayload(rawBody, event)}::jsonb)
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
