// What the sign-in limits (lib/rate-limit/sign-in.ts) cost in the database per
// attempt, against the counting they replaced (one upsert of two buckets) and
// against the Argon2 verify every attempt already pays, in the same run. On a
// fresh database: DATABASE_URL's server when set, else in-memory PGlite.
import { connect } from "@/db/client";
import { resetEnvCache } from "@/lib/env";
import { hashPassword, verifyPassword } from "@/lib/passwords";
import { assertRateLimits } from "@/lib/rate-limit";
import { beginSignInAttempt, settleSignInAttempt } from "@/lib/rate-limit/sign-in";
import { createTestDatabase } from "@/test/databases";
import type { FigureContext } from "../figures";

const N = 1000;

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)] * 1000) / 1000;
}

export default async function signInLimits(ctx: FigureContext) {
  process.env.AUTH_SECRET ||= "bench-secret-bench-secret-bench-secret-0123456789";
  process.env.RATE_LIMIT_SIGNIN_PER_IP = "100000";
  process.env.RATE_LIMIT_SIGNIN_PER_ACCOUNT = "10000";
  resetEnvCache();
  const created = await createTestDatabase();
  const handle = await connect({ databaseUrl: created.url, dataDir: "memory://", poolMax: 2 });
  try {
    const { db } = handle;
    const now = new Date();
    const time = async (work: (i: number) => Promise<unknown>) => {
      const samples: number[] = [];
      for (let i = 0; i < N; i++) {
        const start = performance.now();
        await work(i);
        samples.push(performance.now() - start);
      }
      return median(samples);
    };
    const before = await time((i) => assertRateLimits(db, [["sign-in:ip", `10.0.${i % 250}.1`], ["sign-in:account", `old-${i}@example.com`]], now));
    const success = await time(async (i) => {
      const admission = await beginSignInAttempt(db, `10.1.${i % 250}.1`, `ok-${i}@example.com`, now);
      if (admission.ok) await settleSignInAttempt(db, admission.attempt, "success");
    });
    const failure = await time(async (i) => {
      const admission = await beginSignInAttempt(db, `10.2.${i % 250}.1`, `bad-${i}@example.com`, now);
      if (admission.ok) await settleSignInAttempt(db, admission.attempt, "failure");
    });
    const hash = await hashPassword("Lantern-Quokka-7319-Ribbon");
    const verifies: number[] = [];
    for (let i = 0; i < 30; i++) {
      const start = performance.now();
      await verifyPassword(hash, "Harbour-Tamarind-5182-Gusset");
      verifies.push(performance.now() - start);
    }
    const argon2 = median(verifies);
    const out = {
      database: created.url ? "postgresql" : "pglite",
      attempts: N,
      medianMs: { previousCounting: before, success, failure, argon2Verify: argon2 },
      ratioToArgon2: { success: Math.round((success / argon2) * 100) / 100, failure: Math.round((failure / argon2) * 100) / 100 },
    };
    ctx.log(`  sign-in limits per attempt (${out.database}): before ${before} ms, success ${success} ms, failure ${failure} ms; Argon2 verify ${argon2} ms`);
    return out;
  } finally {
    await handle.close();
    await created.drop();
    delete process.env.RATE_LIMIT_SIGNIN_PER_IP;
    delete process.env.RATE_LIMIT_SIGNIN_PER_ACCOUNT;
    resetEnvCache();
  }
}
