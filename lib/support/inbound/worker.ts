// The in-app inbound worker: started by the webhook when an event arrives (and
// at start-up, for events left pending), it files due events until none is
// pending, sleeping until the next retry is due. Instances share the work
// through the claim's lease (SKIP LOCKED), so each may run its own.
import { getDb, type Db } from "@/db/client";
import { drainDueInbound, nextDueInSeconds, queueHandedOff, type Claimed } from "./process";

const state = globalThis as unknown as {
  __resetDeskInbound?: { running: Promise<void>; wake: () => void; again: boolean };
};

async function loop(db: Db, worker: NonNullable<typeof state.__resetDeskInbound>) {
  for (;;) {
    worker.again = false;
    const { claimed } = await drainDueInbound(db);
    if (claimed > 0 || worker.again) continue;
    const due = await nextDueInSeconds(db);
    // Kicked meanwhile: an event was handed off (leased to us, so not "due" for a minute).
    if (worker.again) continue;
    if (due === null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.min(due ?? 0, 30) * 1000 + 50);
      worker.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

/** Makes sure a worker runs now (one per process); a sleeping one wakes up. */
export function kickInboundWorker(db?: Db): void {
  const current = state.__resetDeskInbound;
  if (current) {
    current.again = true;
    current.wake();
    return;
  }
  const worker = { running: Promise.resolve(), wake: () => {}, again: false };
  state.__resetDeskInbound = worker;
  worker.running = (async () => {
    try {
      await loop(db ?? (await getDb()), worker);
    } catch (error) {
      console.error("[inbound] the worker stopped:", error instanceof Error ? error.message : error);
    } finally {
      state.__resetDeskInbound = undefined;
    }
  })();
}

/** Events the webhook just stored (leased to this instance): filed by this worker first, without a claim. */
export function handOffInbound(db: Db, events: readonly Claimed[]): void {
  queueHandedOff(events);
  kickInboundWorker(db);
}

/** Resolves when the worker has nothing left to do (tests, the bench). */
export async function inboundWorkerIdle(): Promise<void> {
  while (state.__resetDeskInbound) await state.__resetDeskInbound.running;
}
