// Token guessing and replay (SPEC 4.4, 5.3): guesses at /reset-password/<token>
// are throttled per IP with the real limit (the e2e server raises it), each
// guess is audited as reset_link.invalid, none ever works, and a used link
// never works twice.
import { randomBytes } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { GET as openLink } from "@/app/(auth)/reset-password/[token]/route";
import { auditEvents, resetTokens } from "@/db/schema";
import { upsertUser } from "@/lib/accounts";
import { env } from "@/lib/env";
import { checkResetToken, issueResetLink } from "@/lib/reset-links";
import { resetPasswordWithToken } from "@/lib/reset-links/flows";
import { uniqueEmail, withTestDb } from "@/test/db";
import { snapshot } from "./snapshot";

const testDb = withTestDb();

function open(token: string, ip: string) {
  const request = new Request(`http://localhost:3000/reset-password/${token}`, {
    headers: { "x-reset-desk-ip": ip },
  });
  return openLink(request, { params: Promise.resolve({ token }) });
}

const guess = () => randomBytes(32).toString("base64url");

describe("abuse: reset token guessing and replay", () => {
  it(`guesses past RATE_LIMIT_TOKEN_PER_IP get the 429 page; each guess before it is audited as invalid; none works`, async () => {
    const { db } = testDb();
    const ip = "198.51.100.77";
    const limit = env().RATE_LIMIT_TOKEN_PER_IP;
    const { id } = await upsertUser(db, { email: uniqueEmail("guess"), role: "customer", password: "the old breached password 1" });
    const genuine = (await issueResetLink(db, { userId: id, purpose: "self_service" })).url.split("/").pop()!;
    const before = await snapshot(db);

    const locations: string[] = [];
    for (let i = 0; i < limit + 5; i++) {
      const token = guess();
      const response = await open(token, ip);
      expect(response.status).toBe(303);
      locations.push(new URL(response.headers.get("location")!).pathname);
      expect((await checkResetToken(db, token)).status).toBe("invalid");
    }
    expect(locations.slice(0, limit).every((p) => p === "/reset-password")).toBe(true);
    expect(locations.slice(limit).every((p) => p === "/rate-limited")).toBe(true);

    // Once throttled, even the genuine link is not looked up from this IP.
    const throttled = await open(genuine, ip);
    expect(new URL(throttled.headers.get("location")!).pathname).toBe("/rate-limited");
    // Another address is not affected (never a lock-out of the account).
    const elsewhere = await open(genuine, "198.51.100.78");
    expect(new URL(elsewhere.headers.get("location")!).pathname).toBe("/reset-password");

    const audited = await db
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .where(and(eq(auditEvents.ip, ip), inArray(auditEvents.action, ["reset_link.invalid", "rate_limit.exceeded"])));
    expect(audited.filter((a) => a.action === "reset_link.invalid")).toHaveLength(limit);
    expect(audited.filter((a) => a.action === "rate_limit.exceeded")).toHaveLength(6);
    // Opening links, even the genuine one, changed nothing (mail scanners open links).
    expect(await snapshot(db)).toEqual(before);

    // The 429 page itself: a real status and Retry-After.
    const { GET: rateLimited } = await import("@/app/rate-limited/route");
    const page = await rateLimited(new Request(`http://localhost:3000${new URL(throttled.headers.get("location")!).pathname}${new URL(throttled.headers.get("location")!).search}`));
    expect(page.status).toBe(429);
    expect(Number(page.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("a used link never works again, not even at the same moment twice", async () => {
    const { db } = testDb();
    const { id } = await upsertUser(db, { email: uniqueEmail("replay"), role: "customer", password: "the old breached password 1" });
    const token = (await issueResetLink(db, { userId: id, purpose: "campaign" })).url.split("/").pop()!;
    const password = "seven quiet lanterns over water";
    const results = await Promise.all([
      resetPasswordWithToken(db, { token, password, confirm: password, ip: null }),
      resetPasswordWithToken(db, { token, password: password + "!", confirm: password + "!", ip: null }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, invalidLink: true }]);
    const later = await resetPasswordWithToken(db, { token, password: password + "?", confirm: password + "?", ip: null });
    expect(later).toEqual({ ok: false, invalidLink: true });
    const [row] = await db.select({ usedAt: resetTokens.usedAt }).from(resetTokens).where(eq(resetTokens.userId, id));
    expect(row.usedAt).not.toBeNull();
  });
});
