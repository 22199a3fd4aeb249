// Argon2 admission control (SPEC 5.4): at most `concurrency` hashes are given
// to the hashing threads at once (two per thread: lib/passwords/hash-threads.ts
// runs one and holds the next), at most `maxWaiting` wait, none waits longer
// than `maxWaitMs`. Past that the caller gets OverloadedError at once and
// answers 503 + Retry-After, so memory stays bounded however many requests
// arrive: each hash holds 19 MiB only while it runs, one per thread, and a
// waiter costs a few hundred bytes.
import os from "node:os";

export class OverloadedError extends Error {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds = 2) {
    super("The service is busy. Please try again in a moment.");
    this.name = "OverloadedError";
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
  }
}

type Waiter = {
  resolve: () => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
  onAbort?: () => void;
  signal?: AbortSignal;
};

export type AdmissionStats = {
  concurrency: number;
  maxWaiting: number;
  inFlight: number;
  queued: number;
  admitted: number;
  rejected: number;
  averageWorkMs: number;
};

export class Admission {
  private running = 0;
  // A Set keeps arrival order and removes a timed-out waiter in O(1).
  private readonly waiting = new Set<Waiter>();
  private admittedCount = 0;
  private rejectedCount = 0;
  // Exponentially weighted mean of one unit of work; seeds the wait estimate.
  private workMs: number;

  constructor(
    readonly concurrency: number,
    readonly maxWaiting: number,
    readonly maxWaitMs: number,
    expectedWorkMs = 10,
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError("concurrency must be an integer ≥ 1");
    if (!Number.isInteger(maxWaiting) || maxWaiting < 0) throw new RangeError("maxWaiting must be an integer ≥ 0");
    if (!(maxWaitMs > 0)) throw new RangeError("maxWaitMs must be > 0");
    this.workMs = expectedWorkMs;
  }

  get inFlight() {
    return this.running;
  }
  get queued() {
    return this.waiting.size;
  }

  stats(): AdmissionStats {
    return {
      concurrency: this.concurrency,
      maxWaiting: this.maxWaiting,
      inFlight: this.running,
      queued: this.waiting.size,
      admitted: this.admittedCount,
      rejected: this.rejectedCount,
      averageWorkMs: Math.round(this.workMs * 10) / 10,
    };
  }

  /**
   * Runs `work` once a slot is free. Rejects with OverloadedError, without
   * running it, when the queue is full, when the expected wait is already
   * longer than maxWaitMs, or when the wait runs out. An aborted signal (the
   * client went away) gives its place up.
   */
  async run<T>(work: () => Promise<T>, options: { signal?: AbortSignal } = {}): Promise<T> {
    await this.enter(options.signal);
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.workMs = this.workMs * 0.9 + (performance.now() - started) * 0.1;
      this.leave();
    }
  }

  /** Seconds until the queue as it stands now has drained: the Retry-After to send. */
  retryAfterSeconds(): number {
    const drainMs = ((this.waiting.size + this.running) / this.concurrency) * this.workMs;
    return Math.max(1, Math.ceil(Math.max(drainMs, this.maxWaitMs) / 1000));
  }

  private refuse(): OverloadedError {
    this.rejectedCount++;
    return new OverloadedError(this.retryAfterSeconds());
  }

  private enter(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason ?? new Error("aborted"));
    if (this.running < this.concurrency && this.waiting.size === 0) {
      this.running++;
      this.admittedCount++;
      return Promise.resolve();
    }
    if (this.waiting.size >= this.maxWaiting) return Promise.reject(this.refuse());
    // Fast rejection: waiting is pointless when the slots ahead will not free in time.
    const expectedWaitMs = ((this.waiting.size + 1) / this.concurrency) * this.workMs;
    if (expectedWaitMs > this.maxWaitMs) return Promise.reject(this.refuse());
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        timer: setTimeout(() => {
          this.drop(waiter);
          reject(this.refuse());
        }, this.maxWaitMs),
      };
      if (signal) {
        waiter.onAbort = () => {
          this.drop(waiter);
          reject(signal.reason ?? new Error("aborted"));
        };
        signal.addEventListener("abort", waiter.onAbort, { once: true });
      }
      this.waiting.add(waiter);
    });
  }

  private drop(waiter: Waiter) {
    this.waiting.delete(waiter);
    clearTimeout(waiter.timer);
    if (waiter.onAbort) waiter.signal?.removeEventListener("abort", waiter.onAbort);
  }

  private leave() {
    const next = this.waiting.values().next();
    if (!next.done) {
      // The slot passes straight to the oldest waiter: `running` stays the same.
      this.drop(next.value);
      this.admittedCount++;
      next.value.resolve();
    } else {
      this.running--;
    }
  }
}

/**
 * Hashes allowed at once in this process: HASH_CONCURRENCY, else one per core
 * but one. The core left over runs the event loop (pages, the database driver,
 * session checks), so pages stay quick while hashing is saturated; the bench
 * measures both settings side by side (docs/capacity.md,
 * `results.concurrencyChoice`).
 */
export function hashingConcurrency(
  source: Record<string, string | undefined> = process.env,
  cores = os.availableParallelism?.() ?? os.cpus().length,
): number {
  const configured = Number(source.HASH_CONCURRENCY);
  if (Number.isInteger(configured) && configured >= 1) return configured;
  return Math.max(1, cores - 1);
}

function setting(value: string | undefined, fallback: number, min: number): number {
  const n = Number(value);
  return value !== undefined && value !== "" && Number.isFinite(n) && n >= min ? Math.floor(n) : fallback;
}

const store = globalThis as unknown as { __resetDeskAdmission?: Admission };

export function hashingAdmission(): Admission {
  if (!store.__resetDeskAdmission) {
    // Read raw (lib/env validates the same names at start-up) so that bench
    // and CLI processes without a full configuration can hash too.
    const concurrency = hashingConcurrency();
    const maxWaiting = setting(process.env.HASH_MAX_WAITING, 64, 0);
    const maxWaitMs = setting(process.env.HASH_MAX_WAIT_MS, 2000, 10);
    // Each hashing thread (lib/passwords/hash-threads.ts) runs one hash and
    // holds the next, so it never waits for the event loop between two.
    store.__resetDeskAdmission = new Admission(2 * concurrency, maxWaiting, maxWaitMs);
  }
  return store.__resetDeskAdmission;
}

/** Tests: forget the process-wide admission so the next call re-reads the settings. */
export function resetHashingAdmission() {
  delete store.__resetDeskAdmission;
}
