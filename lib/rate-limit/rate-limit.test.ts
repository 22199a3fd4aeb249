import { describe, expect, it } from "vitest";
import { connect } from "@/db/client";
import { rateLimitBuckets } from "@/db/schema";
import { withTestDb } from "@/test/db";
import { assertRateLimit, assertRateLimits, assertRateLimitsInTurn, RateLimitedError } from "./index";

const testDb = withTestDb();

describe("rate limits in PostgreSQL (SPEC 5.3)", () => {
  it("refuses past the limit with a Retry-After until the window ends, then allows again", async () => {
    const { db } = testDb();
    const who = `someone-${Math.random()}@example.com`;
    const t0 = new Date("2026-11-28T10:00:05Z");
    for (let i = 0; i < 5; i++) await assertRateLimit(db, "reset-link:address", who, t0);
    const refused = await assertRateLimit(db, "reset-link:address", who, t0).catch((e) => e);
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect(refused.retryAfterSeconds).toBe(900 - 5);
    // Never a permanent lock-out: the next window starts from zero.
    const later = new Date(t0.getTime() + 900_000);
    await expect(assertRateLimit(db, "reset-link:address", who, later)).resolves.toMatchObject({ count: 1 });
  });

  it("counts several limits in one call, each in its own bucket, and names the one passed", async () => {
    const { db } = testDb();
    const ip = `192.0.2.${Math.floor(Math.random() * 200)}`;
    const who = `both-${Math.random()}@example.com`;
    const at = new Date("2026-11-28T12:00:00Z");
    const first = await assertRateLimits(db, [["sign-in:ip", ip], ["sign-in:account", who]], at);
    expect(first.map((c) => [c.policy, c.count])).toEqual([["sign-in:ip", 1], ["sign-in:account", 1]]);
    // The account's own limit (10 by default) passes first; the IP keeps counting.
    for (let i = 2; i <= 10; i++) await assertRateLimits(db, [["sign-in:ip", ip], ["sign-in:account", who]], at);
    const refused = await assertRateLimits(db, [["sign-in:ip", ip], ["sign-in:account", who]], at).catch((e) => e);
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect(refused.policy).toBe("sign-in:account");
    // Every limit was counted, the passed one included.
    await expect(assertRateLimit(db, "sign-in:ip", ip, at)).resolves.toMatchObject({ count: 12 });
    // A pair given twice counts once.
    const twice = await assertRateLimits(db, [["contact:ip", ip], ["contact:ip", ip]], at);
    expect(twice.map((c) => c.count)).toEqual([1, 1]);
  });

  it("in turn: a request refused for its address is not counted against its IP", async () => {
    const { db } = testDb();
    const ip = `192.0.2.${Math.floor(Math.random() * 200)}`;
    const who = `again-${Math.random()}@example.com`;
    const at = new Date("2026-11-28T13:00:00Z");
    const ask = (address: string) =>
      assertRateLimitsInTurn(db, [["reset-link:address", address], ["reset-link:ip", ip]], at).then(
        () => "sent",
        (e: RateLimitedError) => e.policy,
      );
    const seen = [];
    for (let i = 0; i < 8; i++) seen.push(await ask(who));
    expect(seen).toEqual([...Array(5).fill("sent"), ...Array(3).fill("reset-link:address")]);
    // 5 of the IP's 30 were used; 25 other addresses still fit, the 26th does not.
    for (let i = 0; i < 25; i++) expect(await ask(`other-${i}-${Math.random()}@example.com`)).toBe("sent");
    expect(await ask(`last-${Math.random()}@example.com`)).toBe("reset-link:ip");
  });

  it("stores no address or IP, only hashes", async () => {
    const { db } = testDb();
    await assertRateLimit(db, "contact:ip", "203.0.113.77");
    const rows = await db.select().from(rateLimitBuckets);
    expect(JSON.stringify(rows)).not.toContain("203.0.113.77");
  });

  it("counts across two app instances sharing one database", async (ctx) => {
    const { url } = testDb();
    if (!url) {
      ctx.skip(); // PGlite is one process; the PostgreSQL run (CI) covers this
      return;
    }
    const a = await connect({ databaseUrl: url, migrate: false, poolMax: 2 });
    const b = await connect({ databaseUrl: url, migrate: false, poolMax: 2 });
    try {
      const at = new Date("2026-11-28T11:00:00Z");
      const ip = `198.51.100.${Math.floor(Math.random() * 200)}`;
      const results = await Promise.allSettled(
        Array.from({ length: 40 }, (_, i) => assertRateLimit(i % 2 ? a.db : b.db, "token:ip", ip, at)),
      );
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(30);
      expect(results.filter((r) => r.status === "rejected")).toHaveLength(10);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
