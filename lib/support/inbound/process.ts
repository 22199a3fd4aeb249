// The inbound pipeline after the webhook (decision 0007). Events this
// instance's webhook stored are handed to its worker directly (leased to it by
// their insert); due events (retries, events of an instance that died) are
// claimed with a lease, so two instances never take the same one. Messages
// are fetched a round at a time on the fetch thread; rounds are filed in two
// lanes by sender, one transaction per lane (each email in its own if that
// fails), and acknowledged in batch sends. While a round is filed, the next
// ones are fetched and the last one's acknowledgements go out; each sender's
// emails are filed one round at a time, in order. A failed fetch is retried
// with backoff; the event is kept whatever happens.
import { sql } from "drizzle-orm";
import { executePrepared, rowsOf, type Db } from "@/db/client";
import { sendAcknowledgements } from "./acknowledge";
import { fetchReceivedEmails, FetchError } from "./fetch";
import { bareAddress } from "../threading";
import type { ReceivedEmail } from "./classify";
import { fileInbound, type Fetched, type Filed } from "./file";

/** After this many failed fetches the event is marked failed (kept, never deleted). */
export const MAX_ATTEMPTS = 10;
/** How long a claimed event is this instance's: past it (the instance died), any instance claims it again. */
export const LEASE_SECONDS = 60;

export function backoffSeconds(attempts: number): number {
  return Math.min(3600, 2 ** Math.max(0, attempts - 1));
}

export type Claimed = { id: number; email_id: string; attempts: number };

// Events this instance's webhook stored, leased to it by their insert: its
// worker files them first, without claiming them again.
const local = globalThis as unknown as { __resetDeskInboundHandedOff?: Claimed[] };

export function queueHandedOff(events: readonly Claimed[]): void {
  (local.__resetDeskInboundHandedOff ??= []).push(...events);
}

let roundsSinceClaim = 0;

/**
 * The next round: events handed off by this instance's webhook, as they are.
 * The database is asked for due events (retries, and events of an instance
 * that died) when none was handed off, and every tenth round besides, so that
 * a flood never starves a retry.
 */
async function nextRound(db: Db, limit: number): Promise<Claimed[]> {
  const handed = (local.__resetDeskInboundHandedOff ??= []).splice(0, limit);
  if (handed.length > 0 && ++roundsSinceClaim < 10) return handed.sort((a, b) => a.id - b.id);
  roundsSinceClaim = 0;
  const due = await claimDue(db, Math.max(limit - handed.length, Math.ceil(limit / 10)));
  return [...handed, ...due].sort((a, b) => a.id - b.id);
}

async function claimDue(db: Db, limit: number): Promise<Claimed[]> {
  const rows = await executePrepared<{ id: number | string; email_id: string; attempts: number | string }>(
    db,
    sql`
      update inbound_events set attempts = attempts + 1,
        next_attempt_at = now() + make_interval(secs => ${LEASE_SECONDS})
      where id in (
        select id from inbound_events where status = 'pending' and next_attempt_at <= now()
        order by id limit ${limit} for update skip locked)
      returning id, email_id, attempts`,
  );
  // bigint comes back as a string from the postgres driver
  return rows.map((r) => ({ id: Number(r.id), email_id: r.email_id, attempts: Number(r.attempts) }));
}

async function markFailedAttempt(db: Db, event: Claimed, error: Error): Promise<void> {
  console.error(`[inbound] event ${event.id}, attempt ${event.attempts}: ${error.message.slice(0, 200)}`);
  const permanent = error instanceof FetchError && error.permanent;
  const failed = permanent || event.attempts >= MAX_ATTEMPTS;
  await db.execute(sql`
    update inbound_events set last_error = ${error.message.slice(0, 500)},
      status = ${failed ? "failed" : "pending"},
      next_attempt_at = now() + make_interval(secs => ${backoffSeconds(event.attempts)})
    where id = ${event.id}`);
}

type Round = { claimed: number; filed: Filed[] };
type FetchedRound = { claimed: number; fetched: (Fetched & { event: Claimed })[] };

/** Fetches the messages of claimed events, `concurrency` SDK calls at a time; a failed fetch is marked for a retry. */
async function fetchClaimed(db: Db, claimed: readonly Claimed[], concurrency: number): Promise<FetchedRound> {
  const fetched: FetchedRound["fetched"] = [];
  const answers = await fetchReceivedEmails(db, claimed.map((event) => event.email_id), concurrency);
  for (const [i, event] of claimed.entries()) {
    const answer = answers[i];
    if (answer instanceof FetchError) {
      await markFailedAttempt(db, event, answer);
    } else {
      fetched.push({ eventId: event.id, email: answer, event });
    }
  }
  return { claimed: claimed.length, fetched };
}

/** Filing lanes side by side; a sender's emails always go to the same one. */
const FILING_LANES = 2;

function laneOf(email: ReceivedEmail): number {
  const sender = bareAddress(email.from ?? "");
  let hash = 0;
  for (let i = 0; i < sender.length; i++) hash = (hash * 31 + sender.charCodeAt(i)) | 0;
  return Math.abs(hash) % FILING_LANES;
}

/**
 * Files emails in one transaction, in arrival order; if that fails, each in
 * its own, so that one bad email does not hold back the others.
 */
async function fileLane(db: Db, fetched: readonly FetchedRound["fetched"][number][]): Promise<Filed[]> {
  if (fetched.length > 1) {
    try {
      return await fileInbound(db, fetched);
    } catch (error) {
      console.error(`[inbound] filing ${fetched.length} events together failed (${(error as Error).message}); filing them one by one`);
    }
  }
  const filed: Filed[] = [];
  for (const item of fetched) {
    try {
      filed.push(...(await fileInbound(db, [item])));
    } catch (error) {
      await markFailedAttempt(db, item.event, error as Error);
    }
  }
  return filed;
}

/**
 * Files fetched rounds, each sender's emails in one lane, the lanes side by
 * side. Every rule (caps, grouping, joining a request) compares only emails
 * of one sender, which stay in one lane in arrival order, so the lanes change
 * no outcome; they only keep two transactions' worth of work in flight.
 */
async function fileRounds(db: Db, rounds: readonly FetchedRound[]): Promise<Round> {
  const fetched = rounds.flatMap((r) => r.fetched).sort((a, b) => a.eventId - b.eventId); // as one by one
  const lanes = Array.from({ length: FILING_LANES }, () => [] as typeof fetched);
  for (const item of fetched) lanes[laneOf(item.email)].push(item);
  const filed = await Promise.all(lanes.filter((lane) => lane.length > 0).map((lane) => fileLane(db, lane)));
  return { claimed: rounds.reduce((n, r) => n + r.claimed, 0), filed: filed.flat() };
}

const acksOf = (round: Round) => round.filed.flatMap((f) => (f.ack ? [f.ack] : []));

/**
 * Rounds until none is due, as a pipeline. Up to `ahead` rounds are claimed
 * and fetched ahead of the filing (a claim that comes back full starts the
 * next at once: more are waiting). The filing takes every round fetched by
 * then (fileRounds), and filings follow one another in arrival order, so the
 * rules see the emails as one by one. Acknowledgements go out while the next
 * rounds are filed, one send at a time.
 */
export async function drainDueInbound(
  db: Db,
  { limit = 100, concurrency = 100, ahead = 2 } = {},
): Promise<{ rounds: number; claimed: number }> {
  const fetching: { round: Promise<FetchedRound>; settled: boolean }[] = [];
  let claiming = false;
  let drained = false;
  const topUp = () => {
    if (claiming || drained || fetching.length >= ahead) return;
    claiming = true;
    const entry = { round: Promise.resolve() as unknown as Promise<FetchedRound>, settled: false };
    entry.round = nextRound(db, limit)
      .then(
        (events) => {
          claiming = false;
          if (events.length === 0) drained = true;
          else if (events.length >= limit) topUp();
          return fetchClaimed(db, events, concurrency);
        },
        (error) => {
          claiming = false;
          drained = true;
          throw error;
        },
      )
      .finally(() => {
        entry.settled = true;
      });
    fetching.push(entry);
  };

  let rounds = 0;
  let claimed = 0;
  let acknowledging: Promise<void> = Promise.resolve();
  topUp();
  try {
    while (fetching.length > 0) {
      const ready = [await fetching.shift()!.round];
      // Rounds fetched meanwhile join this filing: one transaction for them all.
      while (fetching.length > 0 && fetching[0].settled) ready.push(await fetching.shift()!.round);
      topUp();
      const taken = ready.filter((r) => r.claimed > 0);
      if (taken.length === 0) continue;
      rounds += taken.length;
      claimed += taken.reduce((n, r) => n + r.claimed, 0);
      const round = await fileRounds(db, taken);
      await acknowledging;
      acknowledging = sendAcknowledgements(db, acksOf(round));
    }
  } finally {
    // A round claimed but not filed (an error above) keeps its lease and is retried when it ends.
    await Promise.allSettled(fetching.map((f) => f.round));
    await acknowledging;
  }
  return { rounds, claimed };
}
/** Seconds until the next pending event is due, or null when none waits. */
export async function nextDueInSeconds(db: Db): Promise<number | null> {
  const [row] = rowsOf<{ secs: number | string | null }>(
    await db.execute(sql`
      select extract(epoch from (min(next_attempt_at) - now())) as secs
      from inbound_events where status = 'pending'`),
  );
  return row?.secs === null || row?.secs === undefined ? null : Math.max(0, Number(row.secs));
}
