// Argon2 on dedicated threads, each fed from its own queue. Through libuv's
// pool, the next hash could only start once the event loop got round to the
// previous one's completion, so a hashing core idled between hashes whenever
// the event loop was busy with pages (~18% of the time at full load). Here a
// thread runs its queued jobs back to back; admission control keeps at most
// one waiting per thread (lib/passwords/admission.ts), so at most one hash
// per thread holds its 19 MiB at a time.
import { Worker } from "node:worker_threads";
import { resolvePackage } from "@/lib/resolve-package";

export type HashJob =
  | { op: "verify"; phc: string; password: string }
  | { op: "hash"; password: string; options: Record<string, number> };

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

// Plain CommonJS evaluated in each thread: no bundler sees it, so the addon is
// required by the absolute path resolved in the main thread.
const THREAD_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const argon2 = require(workerData.addon);
parentPort.on("message", (job) => {
  let reply;
  try {
    const value = job.op === "verify" ? argon2.verifySync(job.phc, job.password) : argon2.hashSync(job.password, job.options);
    reply = { id: job.id, value };
  } catch (error) {
    reply = { id: job.id, error: String((error && error.message) || error) };
  }
  parentPort.postMessage(reply);
});
`;

/** The addon as the main thread would load it. */
export function addonPath(): string {
  return resolvePackage("@node-rs/argon2");
}

class HashThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  dead = false;

  constructor(addon: string) {
    this.worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { addon } });
    this.worker.on("message", (reply: { id: number; value?: unknown; error?: string }) => {
      const job = this.pending.get(reply.id);
      if (!job) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) this.worker.unref();
      if (reply.error !== undefined) job.reject(new Error(reply.error));
      else job.resolve(reply.value);
    });
    const fail = (error: Error) => {
      this.dead = true;
      for (const job of this.pending.values()) job.reject(error);
      this.pending.clear();
    };
    this.worker.on("error", fail);
    this.worker.on("exit", (code) => fail(new Error(`The hashing thread stopped (exit code ${code}).`)));
    // Idle, never the reason a CLI or test process stays alive; busy, kept until
    // its answers are in. (After the listeners: adding one refs the worker again.)
    this.worker.unref();
  }

  get queued() {
    return this.pending.size;
  }

  run(job: HashJob): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, ...job });
    });
  }

  stop() {
    return this.worker.terminate();
  }
}

export class HashThreads {
  private threads: HashThread[] = [];
  private readonly addon = addonPath();

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError("size must be an integer ≥ 1");
  }

  /** Jobs given to the threads and not answered yet. */
  get queued() {
    return this.threads.reduce((sum, t) => sum + t.queued, 0);
  }

  /** Runs the job on the thread with the shortest queue (threads start on first use, and again if one died). */
  run(job: HashJob): Promise<unknown> {
    this.threads = this.threads.filter((t) => !t.dead);
    while (this.threads.length < this.size) this.threads.push(new HashThread(this.addon));
    const thread = this.threads.reduce((best, t) => (t.queued < best.queued ? t : best));
    return thread.run(job);
  }

  async stop() {
    const threads = this.threads;
    this.threads = [];
    await Promise.all(threads.map((t) => t.stop()));
  }
}
