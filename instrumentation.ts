// Runs once when the server starts: a bad setting stops start-up with a
// message naming the variable (SPEC section 2).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env } = await import("./lib/env");
  env();
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  // Inbound emails left pending (a crash, a retry due) are filed without
  // waiting for the next webhook; a second later, once the server listens.
  setTimeout(() => {
    import("./lib/support/inbound/worker")
      .then(({ kickInboundWorker }) => kickInboundWorker())
      .catch((error) => console.error("[inbound] could not start:", error));
  }, 1000).unref();
}
