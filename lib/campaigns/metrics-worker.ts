// The dashboard's upkeep in every app process (decision 0013): folds counter
// deltas every few seconds and takes the chart's snapshot every minute,
// whether or not anyone has the dashboard open. Several instances may run it
// at once: folding is row-exclusive and a minute has one snapshot.
import { getDb } from "@/db/client";
import { foldCounterDeltas } from "./counters";
import { takeSnapshot } from "./metrics";

const state = globalThis as unknown as { __resetDeskMetricsWorker?: NodeJS.Timeout[] };

export async function metricsTick(kind: "fold" | "snapshot") {
  const db = await getDb();
  if (kind === "fold") {
    while ((await foldCounterDeltas(db)) === 10_000) {
      // a backlog (after a big import or expiry): keep folding
    }
    return;
  }
  await foldCounterDeltas(db);
  await takeSnapshot(db);
}

export function startInAppMetricsWorker({ foldSeconds = 5, snapshotSeconds = 60 } = {}) {
  if (state.__resetDeskMetricsWorker) return;
  const run = (kind: "fold" | "snapshot") => () => {
    metricsTick(kind).catch((error) => console.error(`[metrics] ${kind} failed:`, error instanceof Error ? error.message : error));
  };
  // The first snapshot soon after start, then one a minute.
  const first = setTimeout(run("snapshot"), 2_000);
  const fold = setInterval(run("fold"), foldSeconds * 1000);
  const snapshot = setInterval(run("snapshot"), snapshotSeconds * 1000);
  for (const t of [first, fold, snapshot]) t.unref();
  state.__resetDeskMetricsWorker = [first, fold, snapshot];
}
