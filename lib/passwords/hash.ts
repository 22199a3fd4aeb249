// Argon2id through @node-rs/argon2 (SPEC 4.5): PHC strings, m=19456 KiB, t=2,
// p=1 at least. Every hash and verify passes through admission control, then
// runs on a hashing thread (hash-threads.ts).
import { hash } from "@node-rs/argon2";
import { hashingAdmission, hashingConcurrency } from "./admission";
import { HashThreads } from "./hash-threads";

// @node-rs/argon2's Algorithm is a const enum (unusable under isolatedModules):
// 2 is Argon2id.
const ARGON2ID = 2;
export const HASH_PARAMS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

const store = globalThis as unknown as { __resetDeskHashThreads?: HashThreads };

/** One hashing thread per admitted hash (HASH_CONCURRENCY), for the whole process. */
export function hashThreads(): HashThreads {
  store.__resetDeskHashThreads ??= new HashThreads(hashingConcurrency());
  return store.__resetDeskHashThreads;
}

export function hashPassword(password: string): Promise<string> {
  return hashingAdmission().run(
    () => hashThreads().run({ op: "hash", password, options: { algorithm: ARGON2ID, ...HASH_PARAMS, outputLen: 32 } }) as Promise<string>,
  );
}

export async function verifyPassword(phc: string, password: string): Promise<boolean> {
  return hashingAdmission().run(async () => {
    try {
      return (await hashThreads().run({ op: "verify", phc, password })) === true;
    } catch {
      return false; // a malformed stored hash never authenticates
    }
  });
}

// Verified when the account is unknown, so that both answers cost one verify.
let dummyHash: Promise<string> | undefined;
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hash("reset-desk-dummy-password", { algorithm: ARGON2ID, ...HASH_PARAMS });
  await verifyPassword(await dummyHash, password);
  return false;
}

/** True when a stored hash is weaker than today's parameters (re-hash at sign-in). */
export function needsRehash(phc: string): boolean {
  const match = /^\$(argon2(?:id|i|d))\$v=(\d+)\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(phc);
  if (!match) return true;
  const [, algorithm, version, m, t, p] = match;
  return (
    algorithm !== "argon2id" ||
    Number(version) < 19 ||
    Number(m) < HASH_PARAMS.memoryCost ||
    Number(t) < HASH_PARAMS.timeCost ||
    Number(p) < HASH_PARAMS.parallelism
  );
}
