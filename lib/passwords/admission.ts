// Argon2 admission control (SPEC 5.4): at most `concurrency` hashes run at
// once, at most `maxWaiting` wait, none waits longer than `maxWaitMs`. Past
// that the caller gets OverloadedError at once and answers 503 + Retry-After,
// so memory stays bounded however many requests arrive.
import os from "node:os";

export class OverloadedError extends Error {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds = 2) {
    super("The service is busy. Please try again in a moment.");
    this.name = "OverloadedError";
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

type Waiter = { resolve: () => void; reject: (e: Error) => void; timer: NodeJS.Timeout };

export class Admission {
  private running = 0;
  private readonly waiting: Waiter[] = [];
  constructor(
    readonly concurrency: number,
    readonly maxWaiting: number,
    readonly maxWaitMs: number,
  ) {}

  get inFlight() {
    return this.running;
  }
  get queued() {
    return this.waiting.length;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.enter();
    try {
      return await work();
    } finally {
      this.leave();
    }
  }

  private enter(): Promise<void> {
    if (this.running < this.concurrency) {
      this.running++;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.maxWaiting) {
      return Promise.reject(new OverloadedError(this.retryAfter()));
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          const i = this.waiting.indexOf(waiter);
          if (i >= 0) this.waiting.splice(i, 1);
          reject(new OverloadedError(this.retryAfter()));
        }, this.maxWaitMs),
      };
      this.waiting.push(waiter);
    });
  }

  private leave() {
    const next = this.waiting.shift();
    if (next) {
      clearTimeout(next.timer);
      next.resolve(); // the slot passes straight to the next waiter
    } else {
      this.running--;
    }
  }

  private retryAfter() {
    return Math.max(1, Math.ceil(this.maxWaitMs / 1000));
  }
}

const store = globalThis as unknown as { __resetDeskAdmission?: Admission };

export function hashingAdmission(): Admission {
  if (!store.__resetDeskAdmission) {
    const cores = os.availableParallelism?.() ?? os.cpus().length;
    const concurrency = Number(process.env.HASH_CONCURRENCY) || Math.max(1, cores);
    const maxWaiting = process.env.HASH_MAX_WAITING ? Number(process.env.HASH_MAX_WAITING) : 64;
    const maxWaitMs = Number(process.env.HASH_MAX_WAIT_MS) || 2000;
    // libuv's pool must be at least as large, or hashes queue there unseen.
    store.__resetDeskAdmission = new Admission(concurrency, maxWaiting, maxWaitMs);
  }
  return store.__resetDeskAdmission;
}
