// Webhooks through the route handler: genuine events are recorded; forged,
// stale and replayed ones get 400 and change nothing.
import { createHmac, randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "@/db/client";
import { sentEmails } from "@/db/schema";
import { incidentCounts } from "@/lib/campaigns/metrics";
import { resetEnvCache } from "@/lib/env";
import { uniqueEmail, withTestDb } from "@/test/db";
import { POST } from "@/app/api/webhooks/resend/route";

const testDb = withTestDb();
const SECRET = `whsec_${randomBytes(24).toString("base64")}`;

function signed(payload: string, opts: { id?: string; at?: number; secret?: string } = {}) {
  const id = opts.id ?? `msg_${randomBytes(8).toString("hex")}`;
  const timestamp = String(Math.floor((opts.at ?? Date.now()) / 1000));
  const key = Buffer.from((opts.secret ?? SECRET).replace(/^whsec_/, ""), "base64");
  const signature = createHmac("sha256", key).update(`${id}.${timestamp}.${payload}`).digest("base64");
  return { id, headers: { "svix-id": id, "svix-timestamp": timestamp, "svix-signature": `v1,${signature}`, "content-type": "application/json" } };
}

function post(payload: string, headers: Record<string, string>) {
  return POST(new Request("http://localhost/api/webhooks/resend", { method: "POST", body: payload, headers }));
}

async function sentStatus(messageId: string) {
  const [row] = rowsOf<{ status: string }>(await testDb().db.execute(sql`select status from sent_emails where provider_message_id = ${messageId}`));
  return row?.status;
}

async function suppressed(email: string) {
  return rowsOf(await testDb().db.execute(sql`select 1 from suppressed_emails where email = ${email}`)).length === 1;
}

describe("POST /api/webhooks/resend", () => {
  beforeAll(() => {
    process.env.RESEND_WEBHOOK_SECRET = SECRET;
    resetEnvCache();
  });

  async function sentTo(email: string) {
    const messageId = `em_${randomBytes(6).toString("hex")}`;
    await testDb().db.insert(sentEmails).values({ to: email, kind: "breach_notice", subject: "Notice", providerMessageId: messageId });
    return messageId;
  }

  it("records a genuine bounce, suppresses the address and shows it on the dashboard", async () => {
    const email = uniqueEmail("bounce");
    const messageId = await sentTo(email);
    const before = await incidentCounts(testDb().db);
    const payload = JSON.stringify({ type: "email.bounced", created_at: new Date().toISOString(), data: { email_id: messageId, to: [email], bounce: { type: "Permanent" } } });
    const { headers } = signed(payload);
    const res = await post(payload, headers);
    expect(res.status).toBe(200);
    expect(await sentStatus(messageId)).toBe("bounced");
    expect(await suppressed(email)).toBe(true);
    expect((await incidentCounts(testDb().db)).bounced).toBe(before.bounced + 1);

    // The same event again (same svix-id): refused, nothing changes.
    const replay = await post(payload, headers);
    expect(replay.status).toBe(400);
    const [events] = rowsOf<{ n: number | string }>(await testDb().db.execute(sql`select count(*)::int as n from email_events where svix_id = ${headers["svix-id"]}`));
    expect(Number(events.n)).toBe(1);
  });

  it("refuses forged, stale and unsigned events and changes nothing", async () => {
    const email = uniqueEmail("forged");
    const messageId = await sentTo(email);
    const payload = JSON.stringify({ type: "email.complained", data: { email_id: messageId, to: [email] } });
    const forged = signed(payload, { secret: `whsec_${randomBytes(24).toString("base64")}` });
    expect((await post(payload, forged.headers)).status).toBe(400);
    const stale = signed(payload, { at: Date.now() - 10 * 60_000 });
    expect((await post(payload, stale.headers)).status).toBe(400);
    const genuine = signed(payload);
    expect((await post(payload.replace("complained", "delivered"), genuine.headers)).status).toBe(400); // body changed after signing
    expect((await post(payload, { "content-type": "application/json" })).status).toBe(400);
    expect(await sentStatus(messageId)).toBe("sent");
    expect(await suppressed(email)).toBe(false);
    const [events] = rowsOf<{ n: number | string }>(await testDb().db.execute(sql`select count(*)::int as n from email_events where provider_message_id = ${messageId}`));
    expect(Number(events.n)).toBe(0);
  });

  it("records delivery without hiding a later complaint", async () => {
    const email = uniqueEmail("delivered");
    const messageId = await sentTo(email);
    for (const type of ["email.delivered", "email.complained", "email.delivered"]) {
      const payload = JSON.stringify({ type, data: { email_id: messageId, to: [email] } });
      expect((await post(payload, signed(payload).headers)).status).toBe(200);
    }
    expect(await sentStatus(messageId)).toBe("complained");
    expect(await suppressed(email)).toBe(true);
  });
});
