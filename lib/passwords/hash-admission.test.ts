import { afterAll, describe, expect, it, vi } from "vitest";
import { resetHashingAdmission, hashingAdmission, OverloadedError } from "./admission";
import { hashPassword, hashThreads, verifyPassword } from "./hash";

afterAll(() => {
  vi.unstubAllEnvs();
  resetHashingAdmission();
});

describe("hashing under admission control (real Argon2)", () => {
  it("runs at most HASH_CONCURRENCY hashes at once, refuses the excess with OverloadedError, and recovers", async () => {
    vi.stubEnv("HASH_CONCURRENCY", "2");
    vi.stubEnv("HASH_MAX_WAITING", "4");
    vi.stubEnv("HASH_MAX_WAIT_MS", "5000");
    resetHashingAdmission();
    const admission = hashingAdmission();
    let peak = 0;
    const watch = setInterval(() => (peak = Math.max(peak, admission.inFlight)), 1);
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) => hashPassword(`correct horse battery ${i}`)),
    );
    clearInterval(watch);
    const ok = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r) => r.status === "rejected");
    // Two threads, each running one hash and holding the next, + 4 waiting.
    expect(ok.length).toBe(8);
    expect(refused.every((r) => (r as PromiseRejectedResult).reason instanceof OverloadedError)).toBe(true);
    expect(peak).toBeLessThanOrEqual(4);
    expect(hashThreads().size).toBe(2); // a thread runs one hash at a time: at most 2 × 19 MiB
    expect(admission.inFlight).toBe(0);
    const phc = await hashPassword("after the storm, a password");
    expect(await verifyPassword(phc, "after the storm, a password")).toBe(true);
  });
});
