// Several server processes on one port (node:cluster), so a bigger machine's
// cores run event loops as well as Argon2 threads. One process spends 10-17 ms
// of its event loop per sign-in besides the hash (issue 14), so it tops out
// near 60-100 sign-ins/s whatever its hashing threads; workers lift that
// ceiling. Each worker is a whole server.mjs: its own hashing threads and
// admission, its own socket-address and body-size checks.

/**
 * Worker processes by default: one event loop for every two cores, the other
 * core of each pair hashing. In the 28 November bench a sign-in cost the
 * server 34 ms of CPU, 17 ms of it Argon2 (raw verify: 58/s on one core), so
 * loops and hashing need about the same share of the machine.
 */
export function defaultWorkers(cores) {
  return Math.max(1, Math.floor(cores / 2));
}

/** SERVER_WORKERS: unset, "auto" or a whole number from 1 to 4 × cores. */
export function parseServerWorkers(value, cores) {
  if (value === undefined || value === "" || value === "auto") return defaultWorkers(cores);
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > cores * 4) {
    throw new Error(`SERVER_WORKERS must be "auto" or a whole number from 1 to ${cores * 4}; got "${value}".`);
  }
  return n;
}

/** Hashing threads for each worker when HASH_CONCURRENCY is not set: the cores the loops leave, shared out. */
export function hashThreadsPerWorker(cores, workers) {
  return Math.max(1, Math.floor((cores - workers) / workers));
}

/**
 * Forks `count` workers and replaces any that exits while the primary is not
 * shutting down. A worker that dies within `fastExitMs` of starting counts as
 * a crash loop: replacements then wait, doubling up to 30 s, so a broken
 * deployment does not spin the CPU.
 */
export function superviseWorkers(cluster, { count, env = {}, log, fastExitMs = 5_000 }) {
  let stopping = false;
  let delayMs = 0;
  const startedAt = new Map();

  function fork() {
    const worker = cluster.fork(env);
    startedAt.set(worker.id, Date.now());
    return worker;
  }

  cluster.on("exit", (worker, code, signal) => {
    const lived = Date.now() - (startedAt.get(worker.id) ?? 0);
    startedAt.delete(worker.id);
    if (stopping) return;
    delayMs = lived < fastExitMs ? Math.min(Math.max(delayMs * 2, 500), 30_000) : 0;
    log(`worker ${worker.process.pid} exited (${signal ?? `code ${code}`}); starting a replacement${delayMs ? ` in ${delayMs} ms` : ""}`);
    setTimeout(fork, delayMs).unref?.();
  });

  for (let i = 0; i < count; i++) fork();

  return {
    stop() {
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
    },
    get stopping() {
      return stopping;
    },
  };
}
