// The projection of sign-ins/s for bigger machines and the split of a
// server's thread CPU that feeds it (bench/figures/eventLoopCpu.ts).
import { describe, expect, it } from "vitest";
import { projectSignIns, signInsPerSecond } from "./event-loop-model";
import { splitThreadCpu, threadCpuMs } from "./thread-cpu";

describe("sign-ins/s projection", () => {
  const costs = { eventLoopMs: 10, hashMs: 20, otherThreadsMs: 2 };

  it("takes the smallest of the event-loop, hashing and all-core ceilings", () => {
    // One process on 16 cores: its one event loop is the limit (100/s), not the 15 hashing threads (750/s).
    expect(signInsPerSecond(costs, 16, 1, 15)).toEqual({ workers: 1, hashThreadsPerWorker: 15, signInsPerSecond: 100, boundBy: "event loops" });
    // 8 processes of one hashing thread each: hashing 400/s, loops 800/s, all cores 500/s.
    expect(signInsPerSecond(costs, 16, 8, 1)).toEqual({ workers: 8, hashThreadsPerWorker: 1, signInsPerSecond: 400, boundBy: "hashing" });
    // Two cores, two processes with a thread each: 2 × 1000 / 32 ms of CPU per sign-in.
    expect(signInsPerSecond(costs, 2, 2, 1).boundBy).toBe("all cores");
    expect(signInsPerSecond(costs, 2, 2, 1).signInsPerSecond).toBe(63);
  });

  it("uses npm run serve's default layout for each core count, beside one process", () => {
    const p = projectSignIns({ ...costs, cores: [2, 16] });
    expect(p["16"].defaultLayout.workers).toBe(8);
    expect(p["16"].oneProcess.signInsPerSecond).toBe(100);
    expect(p["16"].defaultLayout.signInsPerSecond).toBeGreaterThan(3 * p["16"].oneProcess.signInsPerSecond);
    expect(p["2"].defaultLayout.workers).toBe(1);
  });
});

describe("thread CPU split", () => {
  it("names the main thread the event loop and the busiest others the hashing threads", () => {
    const before = new Map([[100, 1000], [101, 0], [102, 0], [103, 50]]);
    const after = new Map([[100, 1600], [101, 900], [102, 30], [103, 80], [104, 10]]);
    expect(splitThreadCpu(100, before, after, 1)).toEqual({ eventLoopMs: 600, hashingThreadsMs: 900, otherThreadsMs: 70 });
  });

  it("reads this process's own threads", () => {
    const mine = threadCpuMs(process.pid);
    expect(mine.has(process.pid)).toBe(true);
    expect(mine.size).toBeGreaterThan(1);
  });
});

describe("best layout", () => {
  it("is never worse than the default or one process", () => {
    const costs = { eventLoopMs: 9, hashMs: 10, otherThreadsMs: 3 };
    for (const c of [2, 8, 16, 64]) {
      const p = projectSignIns({ ...costs, cores: [c] })[String(c)];
      expect(p.bestLayout.signInsPerSecond).toBeGreaterThanOrEqual(p.defaultLayout.signInsPerSecond);
      expect(p.bestLayout.signInsPerSecond).toBeGreaterThanOrEqual(p.oneProcess.signInsPerSecond);
    }
  });
});
