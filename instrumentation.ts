// Runs once when the server starts: a bad setting stops start-up with a
// message naming the variable (SPEC section 2); then the dashboard's upkeep
// (counter folding, a snapshot a minute) starts in this process.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Only server.mjs knows the client's address (and replaces the header that
  // carries it); under plain `next start` every customer would share one
  // per-IP budget, or pick their own address. Refuse rather than run so.
  if (
    process.env.NODE_ENV === "production" &&
    process.env.RESET_DESK_SERVER !== "1" &&
    process.env.NEXT_PHASE !== "phase-production-build"
  ) {
    console.error(
      "Reset Desk does not run under plain `next start` in production: start it with `npm run serve` " +
        "(node server.mjs), which knows each client's address for the rate limits and the audit trail.",
    );
    process.exit(1);
  }
  const { env } = await import("./lib/env");
  env();
  // `next build` loads this too; what follows is for the running server only.
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  // The breach corpus (about 0.4 s, 7.7 MB) is built now, so the first reset does not wait for it.
  const { warmBreachCorpus } = await import("./lib/passwords/corpus");
  warmBreachCorpus();
  const { startInAppMetricsWorker } = await import("./lib/campaigns/metrics-worker");
  startInAppMetricsWorker();
  // Inbound emails left pending (a crash, a retry due) are filed without
  // waiting for the next webhook; a second later, once the server listens.
  setTimeout(() => {
    import("./lib/support/inbound/worker")
      .then(({ kickInboundWorker }) => kickInboundWorker())
      .catch((error) => console.error("[inbound] could not start:", error));
    // Bulk answers a restart interrupted resume here (their cursor is in the database).
    import("./lib/support/bulk/worker")
      .then(({ kickBulkAnswers }) => kickBulkAnswers())
      .catch((error) => console.error("[bulk] could not start:", error));
  }, 1000).unref();
}
