// CPU per thread of a server process, from /proc/<pid>/task/*/stat (Linux):
// the event loop is the main thread (tid = pid); Argon2 runs on the hashing
// threads, the busiest of the others; the rest are V8's and libuv's helpers.
import fs from "node:fs";

const TICK_MS = 1000 / 100; // /proc stat times are in clock ticks of 10 ms

/** CPU milliseconds of every thread of a process, by thread id. */
export function threadCpuMs(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8").split(") ")[1].split(" ");
      out.set(Number(tid), (Number(fields[11]) + Number(fields[12])) * TICK_MS);
    } catch {
      // the thread ended
    }
  }
  return out;
}

/** Splits a run's thread CPU into event loop, hashing threads (the `hashThreads` busiest others) and the rest. */
export function splitThreadCpu(pid: number, before: Map<number, number>, after: Map<number, number>, hashThreads: number) {
  const deltas = [...after].map(([tid, ms]) => ({ tid, ms: ms - (before.get(tid) ?? 0) }));
  const main = deltas.find((d) => d.tid === pid)?.ms ?? 0;
  const others = deltas.filter((d) => d.tid !== pid).sort((a, b) => b.ms - a.ms);
  const hashing = others.slice(0, hashThreads).reduce((a, d) => a + d.ms, 0);
  const rest = others.slice(hashThreads).reduce((a, d) => a + d.ms, 0);
  return { eventLoopMs: main, hashingThreadsMs: hashing, otherThreadsMs: rest };
}

/** The processes a cluster primary forked (its workers). */
export function childPids(pid: number): number[] {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

