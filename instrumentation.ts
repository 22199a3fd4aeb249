// Runs once when the server starts: a bad setting stops start-up with a
// message naming the variable (SPEC section 2); then the dashboard's upkeep
// (counter folding, a snapshot a minute) starts in this process.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env } = await import("./lib/env");
  env();
  // `next build` loads this too; what follows is for the running server only.
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  // The breach corpus (about 0.4 s, 7.7 MB) is built now, so the first reset does not wait for it.
  const { warmBreachCorpus } = await import("./lib/passwords/corpus");
  warmBreachCorpus();
  const { startInAppMetricsWorker } = await import("./lib/campaigns/metrics-worker");
  startInAppMetricsWorker();
}
