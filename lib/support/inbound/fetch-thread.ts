// The Resend SDK's fetches of received emails, on a thread of their own. Each
// fetch costs the event loop about 0.2–0.4 ms of CPU (undici's fetch: request,
// headers, streams, the socket), and the event loop is where the webhook is
// answered and rounds are filed; measured, the fetches took half of it. The
// thread runs the real SDK (required by absolute path, as the hashing threads
// require argon2, so no bundler sees this source) and answers a round at once.
import { Worker } from "node:worker_threads";
import { resolvePackage } from "@/lib/resolve-package";
import type { ReceivedEmail } from "./classify";

/** What the SDK answered for one email: the message, its error, or why Resend could not be reached. */
export type ThreadAnswer =
  | { data: ReceivedEmail }
  | { error: { message: string; statusCode: number | null } }
  | { unreachable: string };

type Job = { key: string; baseUrl: string | null; emailIds: readonly string[]; concurrency: number };

const THREAD_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { Resend } = require(workerData.resend);
let client, clientFor;
parentPort.on("message", async (job) => {
  const wanted = job.key + "|" + (job.baseUrl || "");
  if (clientFor !== wanted) {
    try {
      client = new Resend(job.key, job.baseUrl ? { baseUrl: job.baseUrl } : undefined);
      clientFor = wanted;
    } catch (error) {
      const unreachable = String((error && error.message) || error);
      parentPort.postMessage({ id: job.id, answers: job.emailIds.map(() => ({ unreachable })) });
      return;
    }
  }
  const answers = new Array(job.emailIds.length);
  let next = 0;
  const lane = async () => {
    while (next < job.emailIds.length) {
      const i = next++;
      try {
        const { data, error } = await client.emails.receiving.get(job.emailIds[i]);
        answers[i] = error || !data
          ? { error: { message: String((error && error.message) || "no answer"), statusCode: (error && error.statusCode) ?? null } }
          : { data };
      } catch (error) {
        answers[i] = { unreachable: String((error && error.message) || error) };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(job.concurrency, job.emailIds.length) }, lane));
  parentPort.postMessage({ id: job.id, answers });
});
`;

class FetchThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (a: ThreadAnswer[]) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  dead = false;

  constructor() {
    this.worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { resend: resolvePackage("resend") } });
    this.worker.on("message", (reply: { id: number; answers: ThreadAnswer[] }) => {
      const job = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (this.pending.size === 0) this.worker.unref();
      job?.resolve(reply.answers);
    });
    const fail = (error: Error) => {
      this.dead = true;
      for (const job of this.pending.values()) job.reject(error);
      this.pending.clear();
    };
    this.worker.on("error", fail);
    this.worker.on("exit", (code) => fail(new Error(`The inbound fetch thread stopped (exit code ${code}).`)));
    // Idle, never the reason a CLI or test process stays alive; busy, kept until
    // its answers are in. (After the listeners: adding one refs the worker again.)
    this.worker.unref();
  }

  run(job: Job): Promise<ThreadAnswer[]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, ...job });
    });
  }
}

const state = globalThis as unknown as { __resetDeskFetchThread?: FetchThread };

/** Fetches the emails on the thread (started on first use, and again if it died), in the order given. */
export function fetchOnThread(job: Job): Promise<ThreadAnswer[]> {
  if (!state.__resetDeskFetchThread || state.__resetDeskFetchThread.dead) state.__resetDeskFetchThread = new FetchThread();
  return state.__resetDeskFetchThread.run(job);
}
