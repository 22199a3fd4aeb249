// Jobs started from the admin UI run in the background of the web server;
// their cursor is in the database, so "Resume" (or the CLI) continues one
// that a restart interrupted.
import { getDb } from "@/db/client";
import { runJob, type Actor } from "./index";

const running = globalThis as unknown as { __resetDeskJobs?: Set<number> };

export function runInBackground(jobId: number, actor: Actor) {
  running.__resetDeskJobs ??= new Set();
  if (running.__resetDeskJobs.has(jobId)) return;
  running.__resetDeskJobs.add(jobId);
  void (async () => {
    try {
      await runJob(await getDb(), jobId, actor);
    } catch (error) {
      console.error(`[jobs] job ${jobId} stopped:`, error instanceof Error ? error.message : error);
    } finally {
      running.__resetDeskJobs?.delete(jobId);
    }
  })();
}
