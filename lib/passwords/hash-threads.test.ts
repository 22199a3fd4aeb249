// The hashing threads with the real addon: the same answers as @node-rs/argon2
// in the main thread, failures reported, a stopped thread replaced.
import { verify } from "@node-rs/argon2";
import { afterAll, describe, expect, it } from "vitest";
import path from "node:path";
import { runScript } from "@/test/run-script";
import { HashThreads } from "./hash-threads";

const threads = new HashThreads(2);
afterAll(() => threads.stop());
const options = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 };

describe("hashing threads", () => {
  it("hash and verify like the addon does in the main thread", async () => {
    const phc = (await threads.run({ op: "hash", password: "a long passphrase for the threads", options })) as string;
    expect(phc).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verify(phc, "a long passphrase for the threads")).toBe(true);
    expect(await threads.run({ op: "verify", phc, password: "a long passphrase for the threads" })).toBe(true);
    expect(await threads.run({ op: "verify", phc, password: "another passphrase entirely" })).toBe(false);
  });

  it("spreads jobs over the threads and answers each job its own result", async () => {
    const phcs = await Promise.all(
      Array.from({ length: 6 }, (_, i) => threads.run({ op: "hash", password: `password number ${i}`, options })),
    );
    const checks = await Promise.all(
      phcs.map((phc, i) => threads.run({ op: "verify", phc: phc as string, password: `password number ${(i + 1) % 6}` })),
    );
    expect(checks).toEqual([false, false, false, false, false, false]);
    expect(threads.queued).toBe(0);
  });

  it("rejects a malformed stored hash, and keeps working after a thread stopped", async () => {
    await expect(threads.run({ op: "verify", phc: "not a phc string", password: "x" })).rejects.toThrow();
    await threads.stop(); // as if both threads died
    const phc = (await threads.run({ op: "hash", password: "after a restart", options })) as string;
    expect(await threads.run({ op: "verify", phc, password: "after a restart" })).toBe(true);
  });

  it("keep a process alive while they hash, and never after (a CLI or bench exits when done)", async () => {
    const run = await runScript(`
      const { HashThreads } = require(${JSON.stringify(path.join(process.cwd(), "lib/passwords/hash-threads.ts"))});
      const threads = new HashThreads(1);
      const phc = await threads.run({ op: "hash", password: "a long passphrase for the exit", options: ${JSON.stringify(options)} });
      console.log(String(phc).slice(0, 9));
    `);
    expect(run).toEqual({ code: 0, stdout: "$argon2id\n", timedOut: false });
  }, 30_000);
});
