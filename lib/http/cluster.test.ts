import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { defaultWorkers, hashThreadsPerWorker, parseServerWorkers, superviseWorkers } from "./cluster.mjs";

describe("SERVER_WORKERS", () => {
  it("defaults to one worker per two cores, at least one", () => {
    expect([1, 2, 3, 8, 16, 64].map(defaultWorkers)).toEqual([1, 1, 1, 4, 8, 32]);
    expect(parseServerWorkers(undefined, 16)).toBe(8);
    expect(parseServerWorkers("auto", 16)).toBe(8);
  });

  it("takes a whole number and refuses anything else with a clear message", () => {
    expect(parseServerWorkers("4", 2)).toBe(4);
    for (const bad of ["0", "-1", "1.5", "many", "9"]) {
      expect(() => parseServerWorkers(bad, 2)).toThrow(/SERVER_WORKERS must be "auto" or a whole number from 1 to 8/);
    }
  });

  it("shares the cores the loops leave among the workers' hashing threads", () => {
    expect(hashThreadsPerWorker(2, 1)).toBe(1);
    expect(hashThreadsPerWorker(16, 8)).toBe(1);
    expect(hashThreadsPerWorker(64, 8)).toBe(7);
    expect(hashThreadsPerWorker(2, 2)).toBe(1);
  });
});

describe("superviseWorkers", () => {
  function fakeCluster() {
    const cluster = Object.assign(new EventEmitter(), {
      forked: [] as { id: number; process: { pid: number; kill: (s: string) => void } }[],
      workers: {} as Record<number, unknown>,
      fork() {
        const id = cluster.forked.length + 1;
        const worker = { id, process: { pid: 1000 + id, kill: () => {} } };
        cluster.forked.push(worker);
        cluster.workers[id] = worker;
        return worker;
      },
    });
    return cluster;
  }

  it("starts the workers and replaces one that crashes, but not after stop()", async () => {
    const cluster = fakeCluster();
    const lines: string[] = [];
    const supervisor = superviseWorkers(cluster as never, { count: 2, log: (l: string) => lines.push(l), fastExitMs: 0 });
    expect(cluster.forked).toHaveLength(2);
    cluster.emit("exit", cluster.forked[0], null, "SIGKILL");
    await new Promise((r) => setTimeout(r, 20));
    expect(cluster.forked).toHaveLength(3);
    expect(lines[0]).toMatch(/worker 1001 exited \(SIGKILL\); starting a replacement/);
    supervisor.stop();
    cluster.emit("exit", cluster.forked[1], 0, null);
    await new Promise((r) => setTimeout(r, 20));
    expect(cluster.forked).toHaveLength(3);
  });
});
