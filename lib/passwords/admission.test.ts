import { afterEach, describe, expect, it, vi } from "vitest";
import { Admission, OverloadedError, hashingAdmission, hashingConcurrency, resetHashingAdmission } from "./admission";
import { busyPath } from "./busy";

/** Work that finishes only when the test says so. */
function gate() {
  let open!: () => void;
  let fail!: (e: Error) => void;
  const promise = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}
const tick = () => new Promise((r) => setImmediate(r));

afterEach(() => {
  vi.useRealTimers();
  resetHashingAdmission();
});

describe("Admission", () => {
  it("never runs more than `concurrency` at once and hands each freed slot to the oldest waiter", async () => {
    const a = new Admission(2, 10, 60_000);
    const gates = Array.from({ length: 5 }, gate);
    const started: number[] = [];
    let peak = 0;
    const runs = gates.map((g, i) =>
      a.run(async () => {
        started.push(i);
        peak = Math.max(peak, a.inFlight);
        await g.promise;
        return i;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    expect(a.inFlight).toBe(2);
    expect(a.queued).toBe(3);
    gates[1].open();
    await tick();
    expect(started).toEqual([0, 1, 2]); // oldest waiter first
    expect(a.inFlight).toBe(2); // the slot was handed over, not released and re-taken
    gates.forEach((g) => g.open());
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
    expect(a.inFlight).toBe(0);
    expect(a.queued).toBe(0);
  });

  it("refuses at once, without running the work, when the queue is full", async () => {
    const a = new Admission(1, 2, 60_000);
    const g = gate();
    const held = [a.run(() => g.promise), a.run(() => g.promise), a.run(() => g.promise)];
    const work = vi.fn(async () => 1);
    const t0 = performance.now();
    const refused = await a.run(work).catch((e) => e);
    expect(performance.now() - t0).toBeLessThan(50);
    expect(refused).toBeInstanceOf(OverloadedError);
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(work).not.toHaveBeenCalled();
    expect(a.stats().rejected).toBe(1);
    g.open();
    await Promise.all(held);
  });

  it("refuses at once when the expected wait is longer than the longest allowed wait", async () => {
    // Work takes ~1 s on average: a second waiter could not start within 1.5 s.
    const a = new Admission(1, 100, 1500, 1000);
    const g = gate();
    const first = a.run(() => g.promise);
    const second = a.run(() => g.promise); // expected wait 1 s: allowed
    const third = await a.run(async () => 3).catch((e) => e); // 2 s: refused now
    expect(third).toBeInstanceOf(OverloadedError);
    expect(a.queued).toBe(1);
    g.open();
    await Promise.all([first, second]);
  });

  it("gives up a waiter after maxWaitMs with 503 advice, and the slot still works afterwards", async () => {
    vi.useFakeTimers();
    const a = new Admission(1, 5, 200, 1);
    const g = gate();
    const first = a.run(() => g.promise);
    const waiting = a.run(async () => "late").catch((e) => e);
    expect(a.queued).toBe(1);
    await vi.advanceTimersByTimeAsync(201);
    const result = await waiting;
    expect(result).toBeInstanceOf(OverloadedError);
    expect(a.queued).toBe(0);
    g.open();
    await first;
    expect(a.inFlight).toBe(0);
    expect(await a.run(async () => "ok")).toBe("ok");
  });

  it("releases the slot when the work throws or rejects (no leak on errors)", async () => {
    const a = new Admission(1, 0, 1000);
    for (let i = 0; i < 50; i++) {
      await expect(a.run(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
      await expect(
        a.run(() => {
          throw new Error("sync boom");
        }),
      ).rejects.toThrow("sync boom");
    }
    expect(a.inFlight).toBe(0);
    expect(await a.run(async () => 42)).toBe(42);
  });

  it("lets an aborted waiter leave the queue without taking a slot", async () => {
    const a = new Admission(1, 5, 60_000);
    const g = gate();
    const first = a.run(() => g.promise);
    const controller = new AbortController();
    const work = vi.fn(async () => 1);
    const aborted = a.run(work, { signal: controller.signal }).catch((e) => e);
    expect(a.queued).toBe(1);
    controller.abort(new Error("client went away"));
    expect((await aborted).message).toBe("client went away");
    expect(a.queued).toBe(0);
    g.open();
    await first;
    expect(work).not.toHaveBeenCalled();
    expect(a.inFlight).toBe(0);
  });

  it("holds at most concurrency + maxWaiting callers however many arrive (bounded memory)", async () => {
    const a = new Admission(2, 64, 60_000);
    const g = gate();
    let refused = 0;
    let peakQueued = 0;
    const pending: Promise<unknown>[] = [];
    for (let i = 0; i < 20_000; i++) {
      const call = a.run(() => g.promise).catch((e) => {
        if (e instanceof OverloadedError) refused++;
      });
      if (i < 66) pending.push(call); // the rest are not kept: nothing holds them
      peakQueued = Math.max(peakQueued, a.queued);
    }
    await tick();
    // Everyone past the first 66 was refused before any work finished.
    expect(refused).toBe(20_000 - 66);
    expect(peakQueued).toBe(64);
    expect(a.inFlight).toBe(2);
    g.open();
    await Promise.all(pending);
    expect(a.stats()).toMatchObject({ inFlight: 0, queued: 0, admitted: 66, rejected: 20_000 - 66 });
  });

  it("rejects nonsense sizes", () => {
    expect(() => new Admission(0, 1, 1)).toThrow(RangeError);
    expect(() => new Admission(1, -1, 1)).toThrow(RangeError);
    expect(() => new Admission(1, 1, 0)).toThrow(RangeError);
  });
});

describe("hashingAdmission", () => {
  it("is sized by HASH_CONCURRENCY, HASH_MAX_WAITING and HASH_MAX_WAIT_MS", () => {
    vi.stubEnv("HASH_CONCURRENCY", "3");
    vi.stubEnv("HASH_MAX_WAITING", "7");
    vi.stubEnv("HASH_MAX_WAIT_MS", "500");
    resetHashingAdmission();
    const a = hashingAdmission();
    // Two per hashing thread: the one it runs and the next, held so the thread never idles.
    expect([a.concurrency, a.maxWaiting, a.maxWaitMs]).toEqual([6, 7, 500]);
    expect(hashingAdmission()).toBe(a); // one per process
    vi.unstubAllEnvs();
  });

  it("defaults to one hash per core but one", () => {
    expect(hashingConcurrency({})).toBeGreaterThanOrEqual(1);
    expect(hashingConcurrency({ HASH_CONCURRENCY: "nonsense" })).toBe(hashingConcurrency({}));
    expect(hashingConcurrency({ HASH_CONCURRENCY: "5" })).toBe(5);
    // One core stays free for the event loop; a single core still hashes.
    expect([1, 2, 8].map((cores) => hashingConcurrency({}, cores))).toEqual([1, 1, 7]);
  });
});

describe("busyPath", () => {
  it("points at the 503 page with the advised wait, bounded", () => {
    expect(busyPath(new OverloadedError(2))).toBe("/busy?retry=2");
    expect(busyPath({ retryAfterSeconds: 0 })).toBe("/busy?retry=1");
    expect(busyPath({ retryAfterSeconds: 1e9 })).toBe("/busy?retry=3600");
  });
});
