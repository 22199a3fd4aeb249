// Sign-ins/s a machine of C cores can serve, from three measured costs per
// sign-in: E ms on an event loop (one core per server process at most), H ms
// of Argon2 on a hashing thread (1000 ÷ the raw verify rate of one core) and
// O ms on the process's other threads (GC, compiler). With W processes of T
// hashing threads each, the rate is the smallest of three ceilings:
//   event loops   W × 1000 / E
//   hashing       W × T × 1000 / H
//   all cores     C × 1000 / (E + H + O)
// PostgreSQL is left out: on a real deployment it runs on its own machine.
import { defaultWorkers, hashThreadsPerWorker } from "@/lib/http/cluster.mjs";

export type Costs = { eventLoopMs: number; hashMs: number; otherThreadsMs: number };
export type Projection = { workers: number; hashThreadsPerWorker: number; signInsPerSecond: number; boundBy: "event loops" | "hashing" | "all cores" };

export function signInsPerSecond(costs: Costs, cores: number, workers: number, threads: number): Projection {
  const ceilings: [Projection["boundBy"], number][] = [
    ["event loops", (workers * 1000) / costs.eventLoopMs],
    ["hashing", (workers * threads * 1000) / costs.hashMs],
    ["all cores", (cores * 1000) / (costs.eventLoopMs + costs.hashMs + costs.otherThreadsMs)],
  ];
  const [boundBy, rate] = ceilings.reduce((a, b) => (b[1] < a[1] ? b : a));
  return { workers, hashThreadsPerWorker: threads, signInsPerSecond: Math.round(rate), boundBy };
}

/** The layout (processes × hashing threads, within the cores) that serves the most sign-ins. */
export function bestLayout(costs: Costs, cores: number): Projection {
  let best = signInsPerSecond(costs, cores, 1, Math.max(1, cores - 1));
  for (let w = 2; w <= cores; w++) {
    const candidate = signInsPerSecond(costs, cores, w, Math.max(1, Math.floor((cores - w) / w)));
    if (candidate.signInsPerSecond > best.signInsPerSecond) best = candidate;
  }
  return best;
}

/** For each core count: the default layout of `npm run serve`, one process alone, and the best layout. */
export function projectSignIns(input: Costs & { cores: number[] }) {
  return Object.fromEntries(
    input.cores.map((c) => {
      const w = defaultWorkers(c);
      return [
        String(c),
        {
          defaultLayout: signInsPerSecond(input, c, w, hashThreadsPerWorker(c, w)),
          oneProcess: signInsPerSecond(input, c, 1, Math.max(1, c - 1)),
          bestLayout: bestLayout(input, c),
        },
      ];
    }),
  );
}
