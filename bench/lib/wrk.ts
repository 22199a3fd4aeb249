// Debian's wrk for the cheap pages: on two cores a Node generator saturates
// its own core before the server does. Missing wrk → the Node generator, with
// its CPU reported (install wrk: apt-get install -y wrk).
import { spawnSync } from "node:child_process";
import { closedLoop, httpRequest } from "./load";

export type ThroughputResult = {
  generator: "wrk" | "node";
  perSecond: number;
  requests: number;
  non2xx: number;
  latencyMs: { p50: number; p99: number };
  generatorCpuShare?: number;
};

export function hasWrk(): boolean {
  return spawnSync("sh", ["-c", "command -v wrk"], { encoding: "utf8" }).stdout.trim() !== "";
}

function toMs(value: string, unit: string): number {
  const n = Number(value);
  return unit === "us" ? n / 1000 : unit === "s" ? n * 1000 : unit === "m" ? n * 60_000 : n;
}

export function parseWrk(output: string): Omit<ThroughputResult, "generator"> {
  const rate = /Requests\/sec:\s+([\d.]+)/.exec(output);
  const total = /(\d+) requests in/.exec(output);
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(output);
  const p = (q: string) => {
    const m = new RegExp(`^\\s+${q}%\\s+([\\d.]+)(us|ms|s|m)`, "m").exec(output);
    return m ? Math.round(toMs(m[1], m[2]) * 100) / 100 : 0;
  };
  if (!rate || !total) throw new Error(`Could not read wrk's output:\n${output}`);
  return {
    perSecond: Number(rate[1]),
    requests: Number(total[1]),
    non2xx: non2xx ? Number(non2xx[1]) : 0,
    latencyMs: { p50: p("50"), p99: p("99") },
  };
}

export async function measureThroughput(
  url: string,
  options: { connections: number; seconds: number; threads?: number },
): Promise<ThroughputResult> {
  if (hasWrk()) {
    const run = spawnSync(
      "wrk",
      [`-t${options.threads ?? 1}`, `-c${options.connections}`, `-d${options.seconds}s`, "--latency", url],
      { encoding: "utf8" },
    );
    if (run.status !== 0) throw new Error(`wrk failed: ${run.stderr}`);
    return { generator: "wrk", ...parseWrk(run.stdout) };
  }
  const result = await closedLoop({
    concurrency: options.connections,
    durationMs: options.seconds * 1000,
    send: async (agent) => {
      const reply = await httpRequest(agent, url);
      return { status: reply.status, kind: reply.status < 400 ? "ok" : "error" };
    },
  });
  return {
    generator: "node",
    perSecond: result.perSecond,
    requests: result.requests,
    non2xx: result.kinds.error ?? 0,
    latencyMs: { p50: result.latencyMs.ok?.p50 ?? 0, p99: result.latencyMs.ok?.p99 ?? 0 },
    generatorCpuShare: result.generatorCpuShare,
  };
}
