// With the embedded database (one process only) or the outbox transport, the
// web server sends campaigns itself: a worker loop in this process that runs
// while a campaign is running, and stops when none is (decision 0004).
import { getDb } from "@/db/client";
import { env } from "@/lib/env";
import { runWorker } from "./worker";

const state = globalThis as unknown as { __resetDeskCampaignWorker?: Promise<void> };

/** Starts the in-process worker if settings allow it and it is not running yet. */
export function ensureInAppWorker(): boolean {
  if (!env().CAMPAIGN_WORKER_IN_APP) return false;
  if (state.__resetDeskCampaignWorker) return true;
  state.__resetDeskCampaignWorker = (async () => {
    try {
      await runWorker(await getDb(), { once: true, idleMs: 500, log: (line) => console.log(`[campaign] ${line}`) });
    } catch (error) {
      console.error("[campaign] the in-app worker stopped:", error instanceof Error ? error.message : error);
    } finally {
      state.__resetDeskCampaignWorker = undefined;
    }
  })();
  return true;
}
