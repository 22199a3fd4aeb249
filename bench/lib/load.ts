// A small closed-loop load generator on node:http (keep-alive): `concurrency`
// workers each send one request after another until the time is up. Used for
// the Argon2-bound flows (a few hundred requests/s), where its own CPU is
// small; it reports that CPU so the reader can judge. wrk (bench/lib/wrk.ts)
// measures the cheap pages, where a Node generator would be the bottleneck.
import http from "node:http";

export type Reply = { status: number; headers: http.IncomingHttpHeaders; body: string };

export function httpRequest(
  agent: http.Agent,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string; keepBody?: boolean } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        agent,
        method: init.method ?? "GET",
        headers: {
          ...(init.body !== undefined ? { "content-length": String(Buffer.byteLength(init.body)) } : {}),
          ...init.headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (c: Buffer) => {
          if (init.keepBody) chunks.push(c);
        });
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString() }),
        );
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    request.setTimeout(60_000, () => request.destroy(new Error("timeout")));
    request.end(init.body);
  });
}

/** pauseMs: how long this virtual user waits before its next request (a Retry-After it honours). */
export type Outcome = { status: number; kind: string; pauseMs?: number };

export type LoadResult = {
  requests: number;
  seconds: number;
  perSecond: number;
  statuses: Record<string, number>;
  kinds: Record<string, number>;
  errors: Record<string, number>;
  latencyMs: Record<string, { p50: number; p99: number; max: number }>;
  generatorCpuSeconds: number;
  generatorCpuShare: number; // of one core
};

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] * 10) / 10;
}

/** Runs `send` from `concurrency` workers for `durationMs` or until `send` returns null. */
export async function closedLoop(options: {
  concurrency: number;
  durationMs: number;
  send: (agent: http.Agent, n: number) => Promise<Outcome | null>;
  /** Kinds whose latency is summarised together as "admitted". */
  admittedKinds?: string[];
  /** Virtual users wait the Retry-After they were given, as the busy page asks people to. */
  honourRetryAfter?: boolean;
}): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const statuses: Record<string, number> = {};
  const kinds: Record<string, number> = {};
  const errors: Record<string, number> = {};
  const latencies: Record<string, number[]> = {};
  let n = 0;
  let stop = false;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + options.durationMs;
  const worker = async () => {
    while (!stop && performance.now() < deadline) {
      const t0 = performance.now();
      try {
        const outcome = await options.send(agent, n++);
        if (!outcome) {
          stop = true;
          break;
        }
        const ms = performance.now() - t0;
        statuses[outcome.status] = (statuses[outcome.status] ?? 0) + 1;
        kinds[outcome.kind] = (kinds[outcome.kind] ?? 0) + 1;
        (latencies[outcome.kind] ??= []).push(ms);
        if (options.admittedKinds?.includes(outcome.kind)) (latencies.admitted ??= []).push(ms);
        if (outcome.pauseMs && options.honourRetryAfter) {
          await new Promise((r) => setTimeout(r, Math.min(outcome.pauseMs!, Math.max(0, deadline - performance.now()))));
        }
      } catch (error) {
        const key = (error as Error).message.slice(0, 60);
        errors[key] = (errors[key] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  agent.destroy();
  const requests = Object.values(statuses).reduce((a, b) => a + b, 0);
  const latencyMs: LoadResult["latencyMs"] = {};
  for (const [kind, list] of Object.entries(latencies)) {
    list.sort((a, b) => a - b);
    latencyMs[kind] = { p50: percentile(list, 50), p99: percentile(list, 99), max: percentile(list, 100) };
  }
  const generatorCpuSeconds = (cpu.user + cpu.system) / 1e6;
  return {
    requests,
    seconds: Math.round(seconds * 100) / 100,
    perSecond: Math.round((requests / seconds) * 10) / 10,
    statuses,
    kinds,
    errors,
    latencyMs,
    generatorCpuSeconds: Math.round(generatorCpuSeconds * 100) / 100,
    generatorCpuShare: Math.round((generatorCpuSeconds / seconds) * 100) / 100,
  };
}
