// Runs once when the server starts: a bad setting stops start-up with a
// message naming the variable (SPEC section 2); then the dashboard's upkeep
// (counter folding, a snapshot a minute) starts in this process.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env } = await import("./lib/env");
  env();
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { startInAppMetricsWorker } = await import("./lib/campaigns/metrics-worker");
  startInAppMetricsWorker();
}
