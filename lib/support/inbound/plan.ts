// What each fetched email of a round becomes (decision 0007): a message on a
// request it may join (a valid token or one of our Message-IDs, and only from
// that request's customer), a new request within its sender's hourly caps, a
// message grouped onto the sender's latest request past the cap, a bounce, or
// nothing. Decided for the whole round with a few queries, with the same
// outcome as deciding the emails one after another in arrival order.
import { sql } from "drizzle-orm";
import { executePrepared, type Db } from "@/db/client";
import { env } from "@/lib/env";
import { keyOf } from "@/lib/rate-limit";
import { referenceFromRecipients, supportAddress } from "../threading";
import type { Classified } from "./classify";

export type Target = { id: number; reference: string; email: string; status: string; user_id: number | null };
export type Item = { eventId: number; c: Classified };
export type Plan =
  | { kind: "skip" } // filed already (another worker, a redelivery)
  | { kind: "bounce" }
  | { kind: "ignored" }
  | { kind: "message"; outcome: "message" | "grouped"; target: Target }
  /** grouped past the cap onto a request opened earlier in this same round, by the email at index `opener` */
  | { kind: "groupedNew"; opener: number }
  | { kind: "request"; wantsAck: boolean };
type Cap = "inbound:new" | "inbound:ack";

/** One parameter, whatever the number of rows: read back with json_to_recordset / json_array_elements_text. */
export const json = (value: unknown) => sql`${JSON.stringify(value)}::json`;
export const bigints = (ids: readonly number[]) => sql`${`{${ids.join(",")}}`}::bigint[]`;
/** Strings as one parameter, for `column = any(…)`: an index condition (where `in (select …)` is a filter the planner cannot take to an index under an OR). */
export const texts = (values: readonly string[]) => sql`array(select json_array_elements_text(${json(values)}))`;
export const targetOf = (r: Target): Target => ({
  id: Number(r.id),
  reference: r.reference,
  email: r.email,
  status: r.status,
  user_id: r.user_id === null ? null : Number(r.user_id),
});

export function ownDomains(): string[] {
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


/** What each email becomes, decided for the whole round with a few queries. */
export async function planRound(tx: Db, items: readonly Item[], pending: ReadonlySet<number>): Promise<Plan[]> {
  const settings = env();
  const plans: Plan[] = items.map(({ eventId, c }) => {
    if (!pending.has(eventId)) return { kind: "skip" };
    if (c.deliveryReport) return { kind: "bounce" };
    if (!c.sender.includes("@") || !addressedToUs(c.recipients)) return { kind: "ignored" };
    return { kind: "request", wantsAck: false };
  });
  const live = items.map((item, i) => ({ ...item, i })).filter((x) => plans[x.i].kind === "request");
  const targets = await findTargets(tx, live.map((x) => x.c));

  // Emails that join a request; the others count against their sender's caps, in arrival order.
  const capped: { j: number; policies: Cap[] }[] = [];
  live.forEach((x, j) => {
    const target = targets[j];
    if (target) plans[x.i] = { kind: "message", outcome: "message", target };
    else capped.push({ j, policies: x.c.automatic ? ["inbound:new"] : ["inbound:new", "inbound:ack"] });
  });
  const counts = await countCaps(
    tx,
    capped.map(({ j, policies }) => ({ sender: live[j].c.sender, policies })),
  );
  const overCap = new Set(capped.filter((_, k) => counts[k]["inbound:new"] > settings.SUPPORT_INBOUND_NEW_PER_HOUR).map((u) => u.j));
  // A flood from one address: kept, but on that sender's latest request (maybe one opened just now).
  const latest = await latestRequests(tx, [...new Set([...overCap].map((j) => live[j].c.sender))]);
  const openedNow = new Map<string, number>(); // sender → index of the email that opened a request in this round
  capped.forEach(({ j }, k) => {
    const { c, i } = live[j];
    if (overCap.has(j)) {
      const opener = openedNow.get(c.sender);
      if (opener !== undefined) {
        plans[i] = { kind: "groupedNew", opener };
        return;
      }
      const target = latest.get(c.sender);
      if (target) {
        plans[i] = { kind: "message", outcome: "grouped", target };
        return;
      }
    }
    plans[i] = { kind: "request", wantsAck: !c.automatic && counts[k]["inbound:ack"] <= settings.SUPPORT_INBOUND_ACKS_PER_HOUR };
    openedNow.set(c.sender, i);
  });
  return plans;
}

/**
 * The request each email joins, or null: by a valid token (first) or one of OUR
 * Message-IDs (the newest), and only when the sender is that request's customer.
 */
async function findTargets(tx: Db, emails: readonly Classified[]): Promise<(Target | null)[]> {
  const tokens = emails.map((c) => referenceFromRecipients(c.recipients));
  const wantedRefs = [...new Set(tokens.filter((t): t is string => t !== null))];
  const wantedIds = [...new Set(emails.flatMap((c) => c.referenced))];
  // The customer's own Message-IDs prove nothing: only ours count.
  const ours = new Map<string, { requestId: number; at: number }>();
  if (wantedIds.length > 0) {
    const rows = await executePrepared<{ message_id: string; request_id: number | string; at: number | string }>(
      tx,
      sql`
        select message_id, request_id, extract(epoch from created_at) as at from support_thread_ids
        where ours and message_id = any(${texts(wantedIds)})`,
    );
    for (const r of rows) ours.set(r.message_id, { requestId: Number(r.request_id), at: Number(r.at) });
  }
  const byIds = emails.map((c) => {
    let best: { requestId: number; at: number } | null = null;
    for (const id of c.referenced) {
      const hit = ours.get(id);
      if (hit && (!best || hit.at > best.at)) best = hit;
    }
    return best?.requestId ?? null;
  });
  const requestIds = [...new Set(byIds.filter((id): id is number => id !== null))];
  if (wantedRefs.length + requestIds.length === 0) return emails.map(() => null);
  // A merged request stands for its survivor (merged_into always names one).
  const rows = await executePrepared<Target & { asked_id: number | string; asked_reference: string }>(
    tx,
    sql`
      select a.id as asked_id, a.reference as asked_reference, s.id, s.reference, s.email, s.status, s.user_id
      from support_requests a join support_requests s on s.id = coalesce(a.merged_into, a.id)
      where a.reference = any(${texts(wantedRefs)}) or a.id = any(${bigints(requestIds)})`,
  );
  const byReference = new Map(rows.map((r) => [r.asked_reference, targetOf(r)]));
  const byId = new Map(rows.map((r) => [Number(r.asked_id), targetOf(r)]));
  return emails.map((c, j) => {
    const target = (tokens[j] && byReference.get(tokens[j])) || (byIds[j] !== null ? byId.get(byIds[j]) : undefined) || null;
    return target && target.email === c.sender ? target : null;
  });
}

/**
 * Counts each email against its sender's hourly caps (the shared rate-limit
 * table) in one upsert; the k-th email of a sender sees the count it would
 * have seen filed alone.
 */
async function countCaps(tx: Db, uses: readonly { sender: string; policies: Cap[] }[]): Promise<Record<Cap, number>[]> {
  const totals = new Map<string, { policy: Cap; key: string; n: number }>();
  for (const { sender, policies } of uses) {
    for (const policy of policies) {
      const key = keyOf(policy, sender);
      const t = totals.get(key) ?? { policy, key, n: 0 };
      t.n++;
      totals.set(key, t);
    }
  }
  if (totals.size === 0) return uses.map(() => ({ "inbound:new": 0, "inbound:ack": 0 }));
  const counted = await executePrepared<{ key: string; count: number | string }>(
    tx,
    sql`
      insert into rate_limit_buckets (policy, key, window_start, count)
      select policy, key, date_trunc('hour', now()), n from json_to_recordset(${json([...totals.values()])}) as x(policy text, key text, n int)
      on conflict (policy, key, window_start) do update set count = rate_limit_buckets.count + excluded.count
      returning key, count`,
  );
  const finals = new Map(counted.map((r) => [r.key, Number(r.count)]));
  const seen = new Map<string, number>();
  return uses.map(({ sender, policies }) => {
    const out: Record<Cap, number> = { "inbound:new": 0, "inbound:ack": 0 };
    for (const policy of policies) {
      const key = keyOf(policy, sender);
      const k = (seen.get(key) ?? 0) + 1;
      seen.set(key, k);
      out[policy] = finals.get(key)! - totals.get(key)!.n + k;
    }
    return out;
  });
}

/** Each sender's latest emailed request, an unresolved one first. */
async function latestRequests(tx: Db, senders: readonly string[]): Promise<Map<string, Target>> {
  if (senders.length === 0) return new Map();
  const rows = await executePrepared<Target>(
    tx,
    sql`
      select distinct on (email) id, reference, email, status, user_id from support_requests
      where email = any(${texts(senders)}) and channel = 'email' and status <> 'merged'
      order by email, (status <> 'resolved') desc, id desc`,
  );
  return new Map(rows.map((r) => [r.email, targetOf(r)]));
}
