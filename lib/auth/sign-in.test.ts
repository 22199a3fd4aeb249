// The sign-in limits against a crowd behind one address (docs/security.md,
// "Sign-in limits"): on PGlite by default, on PostgreSQL with DATABASE_URL.
import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { rateLimitBuckets, users } from "@/db/schema";
import { resetEnvCache } from "@/lib/env";
import { hashPassword } from "@/lib/passwords";
import { uniqueEmail, withTestDb } from "@/test/db";
import { signInWithLimits, type SignInResult } from "./sign-in";

const testDb = withTestDb();
const PASSWORD = "Lantern-Quokka-7319-Ribbon";
const WRONG = "Harbour-Tamarind-5182-Gusset";
let sharedHash: string | undefined;

/** Customers with one precomputed Argon2id hash (500 hashes would take a while and test nothing). */
async function customers(count: number, prefix = "crowd") {
  const { db } = testDb();
  sharedHash ??= await hashPassword(PASSWORD);
  const emails = Array.from({ length: count }, () => uniqueEmail(prefix));
  for (let i = 0; i < emails.length; i += 250) {
    await db
      .insert(users)
      .values(emails.slice(i, i + 250).map((email) => ({ email, role: "customer" as const, passwordHash: sharedHash })));
  }
  return emails;
}

const randomIp = () => `198.51.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;
// Each test in its own window, so none sees another's counts.
let windows = 0;
const aWindow = () => new Date(Date.UTC(2026, 11, 2, 10) + ++windows * 3_600_000 + 1000);

function withSettings(settings: Record<string, string>) {
  Object.assign(process.env, settings);
  resetEnvCache();
}
afterEach(() => {
  for (const name of ["RATE_LIMIT_SIGNIN_PER_IP", "RATE_LIMIT_SIGNIN_ATTEMPTS_PER_IP", "RATE_LIMIT_SIGNIN_PER_ACCOUNT"]) {
    delete process.env[name];
  }
  resetEnvCache();
});

const outcome = (r: SignInResult) => (r.ok ? "in" : r.code === "rate-limited" ? `limited:${r.error.policy}` : "refused");

describe("sign-in limits: attackers, not customers (issue 15)", () => {
  it("lets 500 customers sign in correctly from one address in one window", { timeout: 180_000 }, async () => {
    const { db } = testDb();
    const emails = await customers(500);
    const ip = randomIp();
    const now = aWindow();
    const outcomes: Record<string, number> = {};
    for (const email of emails) {
      const o = outcome(await signInWithLimits(db, { email, password: PASSWORD, ip }, now));
      outcomes[o] = (outcomes[o] ?? 0) + 1;
    }
    // The per-IP budget (100 by default) counts failures only: nobody here failed.
    expect(outcomes).toEqual({ in: 500 });
  });

  it("still stops wrong passwords for random accounts from that address at exactly the configured count", { timeout: 120_000 }, async () => {
    const { db } = testDb();
    const [customer] = await customers(1, "bystander");
    const ip = randomIp();
    const now = aWindow();
    const limit = 100; // the default RATE_LIMIT_SIGNIN_PER_IP
    const seen: string[] = [];
    for (let i = 0; i < limit + 3; i++) {
      const email = i % 2 ? uniqueEmail("nobody") : (await customers(1, "target"))[0];
      seen.push(outcome(await signInWithLimits(db, { email, password: WRONG, ip }, now)));
    }
    expect(seen.slice(0, limit).every((o) => o === "refused")).toBe(true);
    expect(seen.slice(limit)).toEqual(["limited:sign-in:ip", "limited:sign-in:ip", "limited:sign-in:ip"]);
    // The address's budget is spent for everyone on it, even a right password, until the window ends...
    expect(outcome(await signInWithLimits(db, { email: customer, password: PASSWORD, ip }, now))).toBe("limited:sign-in:ip");
    // ...but not for other addresses, and not in the next window (never a lock-out).
    expect(outcome(await signInWithLimits(db, { email: customer, password: PASSWORD, ip: randomIp() }, now))).toBe("in");
    const later = new Date(now.getTime() + 900_000);
    expect(outcome(await signInWithLimits(db, { email: customer, password: PASSWORD, ip }, later))).toBe("in");
  });

  it("forgives an account's own failures from that address once it signs in, and only those", async () => {
    withSettings({ RATE_LIMIT_SIGNIN_PER_IP: "5" });
    const { db } = testDb();
    const [forgetful, other] = await customers(2, "forgetful");
    const ip = randomIp();
    const now = aWindow();
    // An attacker's failures on another account are not forgiven by this customer's success.
    expect(outcome(await signInWithLimits(db, { email: other, password: WRONG, ip }, now))).toBe("refused");
    for (let i = 0; i < 3; i++) {
      expect(outcome(await signInWithLimits(db, { email: forgetful, password: WRONG, ip }, now))).toBe("refused");
    }
    expect(outcome(await signInWithLimits(db, { email: forgetful, password: PASSWORD, ip }, now))).toBe("in");
    // 1 failure left on the books (the other account's): 4 more fit, the 5th does not.
    const next = await Promise.all([1, 2, 3, 4, 5].map(() => uniqueEmail("guess")));
    const seen = [];
    for (const email of next) seen.push(outcome(await signInWithLimits(db, { email, password: WRONG, ip }, now)));
    expect(seen).toEqual(["refused", "refused", "refused", "refused", "limited:sign-in:ip"]);
  });

  it("caps all attempts from one address, failed or not, against floods", async () => {
    withSettings({ RATE_LIMIT_SIGNIN_PER_IP: "5", RATE_LIMIT_SIGNIN_ATTEMPTS_PER_IP: "12" });
    const { db } = testDb();
    const emails = await customers(14, "flood");
    const ip = randomIp();
    const now = aWindow();
    const seen = [];
    for (const email of emails) seen.push(outcome(await signInWithLimits(db, { email, password: PASSWORD, ip }, now)));
    expect(seen).toEqual([...Array(12).fill("in"), "limited:sign-in:ip-attempts", "limited:sign-in:ip-attempts"]);
  });

  it("keeps the per-account limit on every attempt, right or wrong; a refused attempt holds no failure", async () => {
    withSettings({ RATE_LIMIT_SIGNIN_PER_IP: "5" });
    const { db } = testDb();
    const [account] = await customers(1, "popular");
    const ip = randomIp();
    const now = aWindow();
    const seen = [];
    for (let i = 0; i < 13; i++) {
      seen.push(outcome(await signInWithLimits(db, { email: account.toUpperCase(), password: PASSWORD, ip }, now)));
    }
    expect(seen).toEqual([...Array(10).fill("in"), ...Array(3).fill("limited:sign-in:account")]);
    // Another address is counted against the same account too.
    expect(outcome(await signInWithLimits(db, { email: account, password: WRONG, ip: randomIp() }, now))).toBe(
      "limited:sign-in:account",
    );
    // The refused attempts gave their reserved failure back: the address still has all 5.
    const failures = [];
    for (let i = 0; i < 6; i++) {
      failures.push(outcome(await signInWithLimits(db, { email: uniqueEmail("after"), password: WRONG, ip }, now)));
    }
    expect(failures).toEqual([...Array(5).fill("refused"), "limited:sign-in:ip"]);
  });

  it("parallel wrong guesses from one address never get past the failure budget", async () => {
    withSettings({ RATE_LIMIT_SIGNIN_PER_IP: "5" });
    const { db } = testDb();
    const ip = randomIp();
    const now = aWindow();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => signInWithLimits(db, { email: uniqueEmail("racer"), password: WRONG, ip }, now)),
    );
    const counts: Record<string, number> = {};
    for (const r of results) counts[outcome(r)] = (counts[outcome(r)] ?? 0) + 1;
    expect(counts).toEqual({ refused: 5, "limited:sign-in:ip": 15 });
  });

  it("stores no address or IP in the sign-in buckets, only hashes", async () => {
    const { db } = testDb();
    const [email] = await customers(1, "private");
    const ip = "203.0.113.201";
    const now = aWindow();
    await signInWithLimits(db, { email, password: WRONG, ip }, now);
    await signInWithLimits(db, { email, password: PASSWORD, ip }, now);
    const rows = JSON.stringify(await db.select().from(rateLimitBuckets));
    expect(rows).not.toContain(ip);
    expect(rows).not.toContain(email);
  });
});
