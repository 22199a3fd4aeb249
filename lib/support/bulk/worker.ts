// The in-app bulk-answer worker (like the inbound worker): kicked when a job
// is created and at start-up, it runs every running job to its end, one at a
// time per process; a job whose lease another runner holds is waited for, and
// taken over if that runner dies. `npm run cli -- bulk-answer run` does the
// same from a shell.
import { sql } from "drizzle-orm";
import { getDb, rowsOf, type Db } from "@/db/client";
import { newRunnerId, runBulkAnswer } from "./run";

const state = globalThis as unknown as {
  __resetDeskBulk?: { running: Promise<void>; wake: () => void; again: boolean };
};

/** Running jobs and when their lease ends (null: free), oldest first. */
export async function runningBulkAnswers(db: Db): Promise<{ id: number; leaseEndsInMs: number | null }[]> {
  return rowsOf<{ id: number | string; ms: number | string | null }>(
    await db.execute(sql`
      select id, (extract(epoch from (lease_until - now())) * 1000)::float8 as ms
      from bulk_answers where status = 'running' order by id`),
  ).map((r) => ({ id: Number(r.id), leaseEndsInMs: r.ms === null ? null : Number(r.ms) }));
}

/** Runs every running job until none is left; waits out other runners' leases. */
export async function runAllBulkAnswers(db: Db, options: { log?: (line: string) => void; signal?: AbortSignal; once?: boolean } = {}) {
  const owner = newRunnerId();
  for (;;) {
    if (options.signal?.aborted) return;
    const jobs = await runningBulkAnswers(db);
    if (jobs.length === 0) return;
    let waitMs = 30_000;
    for (const job of jobs) {
      const result = await runBulkAnswer(db, job.id, { owner, log: options.log, signal: options.signal });
      options.log?.(`Bulk answer ${job.id}: ${result.state}`);
      if (result.state === "busy") waitMs = Math.min(waitMs, Math.max(200, (job.leaseEndsInMs ?? 0) + 100));
      if (result.state === "retry-later" || result.state === "lost") waitMs = Math.min(waitMs, 5_000);
    }
    if (options.once) return;
    if ((await runningBulkAnswers(db)).length === 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, waitMs);
      const current = state.__resetDeskBulk;
      if (current) {
        current.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      }
      options.signal?.addEventListener("abort", () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

/** Makes sure this process works on the running jobs now; a sleeping worker wakes up. */
export function kickBulkAnswers(db?: Db): void {
  const current = state.__resetDeskBulk;
  if (current) {
    current.again = true;
    current.wake();
    return;
  }
  const worker = { running: Promise.resolve(), wake: () => {}, again: false };
  state.__resetDeskBulk = worker;
  worker.running = (async () => {
    try {
      const database = db ?? (await getDb());
      do {
        worker.again = false;
        await runAllBulkAnswers(database);
      } while (worker.again);
    } catch (error) {
      console.error("[bulk] the worker stopped:", error instanceof Error ? error.message : error);
    } finally {
      state.__resetDeskBulk = undefined;
    }
  })();
}

/** Resolves when this process's worker has nothing left to do (tests). */
export async function bulkWorkerIdle(): Promise<void> {
  while (state.__resetDeskBulk) await state.__resetDeskBulk.running;
}
