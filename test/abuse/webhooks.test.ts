// SPEC 5.7 and 5.8 for POST /api/webhooks/resend: any body and any Svix
// headers get a 4xx (never a 500) and change nothing unless genuinely signed;
// genuinely signed but strange payloads are answered without a 500 too; a
// replay is refused.
import { createHmac, randomBytes } from "node:crypto";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/webhooks/resend/route";
import { resetEnvCache } from "@/lib/env";
import { withTestDb } from "@/test/db";
import { FUZZ_RUNS, hostileString, hugeString } from "./arbitraries";
import { snapshot } from "./snapshot";

const testDb = withTestDb();
const SECRET = `whsec_${randomBytes(24).toString("base64")}`;

function sign(payload: string | Buffer, id = `msg_${randomBytes(8).toString("hex")}`, at = Date.now()) {
  const timestamp = String(Math.floor(at / 1000));
  const key = Buffer.from(SECRET.replace(/^whsec_/, ""), "base64");
  const signature = createHmac("sha256", key).update(`${id}.${timestamp}.`).update(payload).digest("base64");
  return { "svix-id": id, "svix-timestamp": timestamp, "svix-signature": `v1,${signature}`, "content-type": "application/json" };
}

function post(body: string | Buffer, headers: Record<string, string>) {
  return POST(new Request("http://localhost/api/webhooks/resend", { method: "POST", body: typeof body === "string" ? body : new Uint8Array(body), headers }));
}

const INVALID_UTF8 = fc.constantFrom(Buffer.from([0xff, 0xfe]), Buffer.from([0xc3, 0x28]), Buffer.from([0xed, 0xa0, 0x80]));
const body = fc.oneof(hostileString, hugeString, INVALID_UTF8, fc.json(), fc.constantFrom("null", "[]", '"x"', "1", '{"type":null,"data":null}', '{"type":"email.bounced","data":{"email_id":[],"to":{}}}'));

describe("abuse: the Resend webhook", () => {
  beforeAll(() => {
    process.env.RESEND_WEBHOOK_SECRET = SECRET;
    resetEnvCache();
  });

  it("unsigned, forged or stale: always 400 or 413 with a message, nothing changed", async () => {
    const { db } = testDb();
    const before = await snapshot(db);
    const headerValue = fc.option(fc.oneof(hostileString, fc.constant("v1,AAAA"), fc.constant(String(Math.floor(Date.now() / 1000)))), { nil: undefined });
    await fc.assert(
      fc.asyncProperty(body, headerValue, headerValue, headerValue, async (payload, id, timestamp, signature) => {
        const headers: Record<string, string> = { "content-type": "application/json" };
        const safe = (v?: string) => (v === undefined ? undefined : v.replace(/[^\x20-\x7e]/g, "")); // header values are ByteStrings
        if (safe(id)) headers["svix-id"] = safe(id)!;
        if (safe(timestamp)) headers["svix-timestamp"] = safe(timestamp)!;
        if (safe(signature)) headers["svix-signature"] = safe(signature)!;
        const response = await post(payload, headers);
        expect([400, 413]).toContain(response.status);
        expect((await response.json()).error).toMatch(/^[A-Z].{8,}/);
      }),
      { numRuns: FUZZ_RUNS },
    );
    const stale = '{"type":"email.bounced","data":{"email_id":"em_1","to":["a@example.com"]}}';
    expect((await post(stale, sign(stale, undefined, Date.now() - 10 * 60_000))).status).toBe(400);
    expect(await snapshot(db)).toEqual(before);
  });

  it("genuinely signed but strange payloads: never a 500; a replay is refused", async () => {
    await fc.assert(
      fc.asyncProperty(body, async (payload) => {
        fc.pre(!["null", ""].includes(String(payload).trim())); // the known gap below
        const headers = sign(payload);
        const response = await post(payload, headers);
        expect(response.status, `signed ${JSON.stringify(String(payload).slice(0, 60))}`).toBeLessThan(500);
        if (response.status === 200) {
          const again = await post(payload, headers);
          expect(again.status).toBe(400);
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  // A genuinely signed body that is not a JSON object is refused (it was a 500).
  it("a signed empty or null body is answered 400, not 500", async () => {
    for (const payload of ["null", ""]) expect((await post(payload, sign(payload))).status).toBe(400);
  });
});
