// The limit the app is measured against: @node-rs/argon2 alone, same
// parameters, same concurrency, no HTTP and no database. Run as its own
// process (node bench/lib/raw-argon2.mjs '<json>') so its libuv pool is sized
// like the server's. Prints one JSON line.
import { hash, verify } from "@node-rs/argon2";

const { params, concurrency, seconds, operation } = JSON.parse(process.argv[2]);
const options = { algorithm: 2, ...params, outputLen: 32 };
const stored = await hash("a stored password of some length", options);
let units = 0;
const deadline = performance.now() + seconds * 1000;
const started = performance.now();
async function worker() {
  while (performance.now() < deadline) {
    if (operation === "verify") {
      await verify(stored, "a stored password of some length");
    } else {
      // A reset: the new password checked against the old hash, then hashed.
      await verify(stored, "the new password chosen today");
      await hash("the new password chosen today", options);
    }
    units++;
  }
}
await Promise.all(Array.from({ length: concurrency }, worker));
const elapsed = (performance.now() - started) / 1000;
// CPU of the whole process (the hashes run on libuv's threads): on a shared
// machine the wall-clock rate undercounts what a core can do, the CPU does not.
const cpu = process.cpuUsage();
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
console.log(JSON.stringify({ operation, concurrency, units, seconds: elapsed, perSecond: units / elapsed, cpuSeconds, cpuMsPerUnit: (cpuSeconds * 1000) / units }));
