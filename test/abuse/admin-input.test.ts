// SPEC 5.8 for the admin forms' lib functions (expiry scope, campaign
// creation): hostile names and address lists are refused with an InputError
// message and change nothing.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "@/lib/accounts";
import { createCampaign } from "@/lib/campaigns";
import { normaliseScope, type UserScope } from "@/lib/expiry";
import { withTestDb } from "@/test/db";
import { FUZZ_RUNS, hostileString, hugeString } from "./arbitraries";
import { snapshot } from "./snapshot";

const testDb = withTestDb();
const hostileList = fc.array(fc.oneof(hostileString, fc.constant(""), fc.constant("  ")), { minLength: 0, maxLength: 5 });

describe("abuse: admin inputs", () => {
  it("expiry: a list of hostile addresses is refused with a message", () => {
    fc.assert(
      fc.property(hostileList, (emails) => {
        fc.pre(emails.every((e) => !/^[^\s@<>"]+@[^\s@<>"]+\.[a-z]{2,}$/i.test(e.trim())));
        expect(() => normaliseScope({ kind: "emails", emails })).toThrow(InputError);
      }),
      { numRuns: FUZZ_RUNS * 5 },
    );
  });

  it("campaigns: hostile names and address lists are refused with a message, nothing stored", async () => {
    const { db } = testDb();
    const before = await snapshot(db);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constant(""), fc.constant("   "), hugeString.filter((s) => s.trim().length > 120)),
        fc.option(hostileList, { nil: undefined }),
        async (name, emails) => {
          const scope = emails ? { kind: "emails" as const, emails } : undefined;
          await expect(createCampaign(db, { name, scope }, { id: null })).rejects.toThrow(InputError);
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
    expect(await snapshot(db)).toEqual(before);
  });

  // The hidden "confirmedScope" field is JSON from the browser: its shape is checked (a wrong one was a 500).
  it("an expiry scope of the wrong shape is refused with InputError", () => {
    for (const value of [{ kind: "bogus" }, 1, "customers", { kind: "emails", emails: [1, null] }, { kind: "emails" }]) {
      let outcome: unknown;
      try {
        outcome = normaliseScope(value as unknown as UserScope);
      } catch (error) {
        expect(error, JSON.stringify(value)).toBeInstanceOf(InputError);
        continue;
      }
      expect(["customers", "everyone", "emails"], `${JSON.stringify(value)} → ${JSON.stringify(outcome)}`).toContain((outcome as UserScope).kind);
    }
  });
});
