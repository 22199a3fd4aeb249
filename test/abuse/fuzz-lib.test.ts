// SPEC 5.8 through the lib/ functions the forms' server actions call: hostile
// input of every kind is refused with a clear answer, never throws, and
// changes nothing in the database. (The same forms are fuzzed over HTTP in
// e2e/abuse-http.spec.ts.)
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { emailSchema, upsertUser } from "@/lib/accounts";
import { authenticate } from "@/lib/auth/authenticate";
import { safeReturnTo } from "@/lib/http/return-to";
import { newPasswordProblems } from "@/lib/passwords";
import { checkResetToken, issueResetLink } from "@/lib/reset-links";
import { requestSelfServiceLink, resetPasswordWithToken } from "@/lib/reset-links/flows";
import { uniqueEmail, withTestDb } from "@/test/db";
import { FUZZ_RUNS, hostileEmail, hostileString, hostileValue, hugeString } from "./arbitraries";
import { snapshot } from "./snapshot";

const testDb = withTestDb();
const PASSWORD = "the old breached password 1";

async function customer() {
  const { db } = testDb();
  const email = uniqueEmail("fuzz");
  const { id } = await upsertUser(db, { email, role: "customer", password: PASSWORD });
  return { id, email };
}

describe("abuse: hostile input to the sign-in, forgot-password and reset functions", () => {
  it("sign-in (authenticate): any email and password → a plain refusal, nothing changed", async () => {
    const { db } = testDb();
    const { email } = await customer();
    const before = await snapshot(db);
    await fc.assert(
      fc.asyncProperty(fc.oneof(hostileEmail, hostileValue, fc.constant(email)), hostileValue, async (rawEmail, rawPassword) => {
        fc.pre(rawPassword !== PASSWORD);
        expect(await authenticate(db, rawEmail, rawPassword, "203.0.113.7")).toEqual({ ok: false });
      }),
      { numRuns: FUZZ_RUNS },
    );
    expect(await snapshot(db)).toEqual(before);
  });

  it("forgot password (requestSelfServiceLink): any address → no link, no email, nothing changed", async () => {
    const { db } = testDb();
    await customer();
    const before = await snapshot(db);
    await fc.assert(
      fc.asyncProperty(fc.oneof(hostileEmail, hugeString), async (rawEmail) => {
        await expect(requestSelfServiceLink(db, rawEmail, "203.0.113.7")).resolves.toBeUndefined();
      }),
      { numRuns: FUZZ_RUNS },
    );
    expect(await snapshot(db)).toEqual(before);
  });

  it("the email field's schema answers every value with a message, never an exception", () => {
    fc.assert(
      fc.property(fc.oneof(hostileValue, hostileEmail), (raw) => {
        const parsed = emailSchema.safeParse(raw);
        if (!parsed.success) expect(parsed.error.issues[0].message).toMatch(/\w{3,}/);
        else expect(parsed.data).toMatch(/^[^\s<>"]+@[^\s<>"]+$/);
      }),
      { numRuns: FUZZ_RUNS * 5 },
    );
  });

  it("reset with a forged or garbage token: refused as an invalid link, nothing changed", async () => {
    const { db } = testDb();
    const { id } = await customer();
    await issueResetLink(db, { userId: id, purpose: "self_service" });
    const before = await snapshot(db);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(hostileValue, fc.stringMatching(/^[A-Za-z0-9_-]{43}$/)),
        fc.string({ minLength: 15, maxLength: 40 }),
        async (token, password) => {
          expect(await checkResetToken(db, token)).toEqual({ status: "invalid" });
          const result = await resetPasswordWithToken(db, { token, password, confirm: password, ip: null });
          expect(result).toEqual({ ok: false, invalidLink: true });
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
    expect(await snapshot(db)).toEqual(before);
  });

  it("reset with a genuine link but hostile, mismatched or oversize passwords: a reason by the field, nothing changed", async () => {
    const { db } = testDb();
    const { id } = await customer();
    const link = await issueResetLink(db, { userId: id, purpose: "self_service" });
    const token = link.url.split("/").pop()!;
    const before = await snapshot(db);
    const oversize = fc.tuple(fc.constantFrom("a", "é", "😀", " ", "\u0000"), fc.integer({ min: 129, max: 5000 })).map(([c, n]) => c.repeat(n));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          // mismatched confirmation
          fc.tuple(fc.oneof(hostileString, hugeString), hostileString).filter(([a, b]) => a !== b),
          // too long (counted in code points), typed twice
          oversize.map((p) => [p, p] as [string, string]),
          // too short, typed twice
          fc.string({ unit: "binary", maxLength: 7 }).map((p) => [p, p] as [string, string]),
        ),
        async ([password, confirm]) => {
          const result = await resetPasswordWithToken(db, { token, password, confirm, ip: null });
          expect(result.ok).toBe(false);
          expect(result).toHaveProperty("fieldErrors");
          const messages = Object.values((result as { fieldErrors: Record<string, string[]> }).fieldErrors).flat();
          expect(messages.length).toBeGreaterThan(0);
          for (const message of messages) {
            expect(message).toMatch(/^[A-Z].{8,}/); // a sentence, not a code
            if (password.length > 12) expect(message).not.toContain(password);
          }
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
    expect(await snapshot(db)).toEqual(before);
    expect((await checkResetToken(db, token)).status).toBe("valid");
  });

  it("the password policy answers any input without throwing and never echoes it", () => {
    fc.assert(
      fc.property(fc.oneof(hostileString, hugeString), (password) => {
        const problems = newPasswordProblems(password, 15, { email: "someone@example.com", brandName: "Northwind" }).password ?? [];
        for (const problem of problems) if (password.length > 12) expect(problem).not.toContain(password);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});

describe("abuse: return addresses (SPEC 5.6) for any string", () => {
  const origin = "https://desk.example";
  it("safeReturnTo always yields a path on this site, even as a browser would parse it", () => {
    const attempts = fc.oneof(
      hostileString,
      fc.webUrl(),
      fc.tuple(fc.constantFrom("/", "//", "/\\", "\\\\", "/%2F", "/%5C", "%2F%2F", "/\t/", "/\n/", "https:", "javascript:", "/%09/"), fc.domain(), fc.webPath())
        .map(([a, b, c]) => a + b + c),
    );
    fc.assert(
      fc.property(attempts, (raw) => {
        const target = safeReturnTo(raw);
        expect(target.startsWith("/")).toBe(true);
        expect(target).not.toMatch(/^\/[\\/]/);
        expect(target).not.toMatch(/[\\\u0000-\u001f\u007f]/);
        // As a browser resolves it (tabs and newlines are stripped there, backslashes become slashes).
        expect(new URL(target, origin).origin).toBe(origin);
        expect(new URL(decodeURIComponent(target).replace(/\\/g, "/"), origin).origin).toBe(origin);
      }),
      { numRuns: FUZZ_RUNS * 20 },
    );
  });
});
