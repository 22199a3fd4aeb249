// The Resend transport through the real SDK, against a local Resend-compatible
// server (test/fake-resend.ts): what the SDK really sends.
import { eq } from "drizzle-orm";
import { createElement } from "react";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sentEmails } from "@/db/schema";
import ResetLinkEmail, { resetLinkSubject } from "@/emails/reset-link";
import { resetEnvCache } from "@/lib/env";
import { startFakeResend, type FakeResend } from "@/test/fake-resend";
import { withTestDb } from "@/test/db";
import { emailBrand } from "./brand";
import { emailTransport, sendEmail, TransportError } from "./index";

const testDb = withTestDb();
let fake: FakeResend;
const saved = { ...process.env };

beforeAll(async () => {
  fake = await startFakeResend();
  process.env.EMAIL_TRANSPORT = "resend";
  process.env.RESEND_API_KEY = "re_test_key_for_the_local_server";
  process.env.RESEND_BASE_URL = fake.url;
  process.env.EMAIL_FROM = "Northwind Security <security@example.com>";
  resetEnvCache();
});

afterAll(async () => {
  process.env = saved;
  resetEnvCache();
  await fake.close();
});

describe("the Resend transport", () => {
  it("sends one email with HTML, a plain-text part, tags, and records it", async () => {
    const { db } = testDb();
    const url = "http://localhost:3000/reset-password/abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    const { id } = await sendEmail(db, {
      to: "jane@example.com",
      subject: resetLinkSubject(emailBrand()),
      kind: "reset_link",
      template: createElement(ResetLinkEmail, { brand: emailBrand(), url, expiresInText: "1 hour", requestedBy: "you" }),
      idempotencyKey: "reset/42",
    });
    expect(fake.calls.at(-1)).toMatchObject({ path: "/emails", idempotencyKey: "reset/42", status: 200 });
    const email = fake.sent.at(-1)!;
    expect(email).toMatchObject({ id, to: "jane@example.com", from: "Northwind Security <security@example.com>" });
    expect(email.subject).toBe("Set a new password for your Northwind Outfitters account");
    expect(email.html).toContain(`href="${url}"`);
    expect(email.text).toContain(url);
    expect(email.text).not.toMatch(/<[a-z]/i);
    const [row] = await db.select().from(sentEmails).where(eq(sentEmails.providerMessageId, id));
    expect(row).toMatchObject({ to: "jane@example.com", kind: "reset_link", status: "sent" });
  });

  it("sends a batch under one Idempotency-Key, and a retry of it sends nothing twice", async () => {
    const { db } = testDb();
    const batch = Array.from({ length: 3 }, (_, i) => ({
      to: `b${i}@example.com`,
      subject: "Notice",
      html: "<p>hi</p>",
      text: "hi",
    }));
    const before = fake.sent.length;
    const first = await emailTransport().sendBatch(db, batch, "campaign-1/batch-7");
    const again = await emailTransport().sendBatch(db, batch, "campaign-1/batch-7");
    expect(again.ids).toEqual(first.ids);
    expect(fake.sent.length - before).toBe(3);
    expect(fake.calls.at(-1)).toMatchObject({ path: "/emails/batch", replayed: true });
  });

  it("turns 429 into a transient TransportError carrying retry-after", async () => {
    const { db } = testDb();
    fake.setFailures(() => ({ status: 429, retryAfterSeconds: 7 }));
    try {
      const error = await emailTransport()
        .send(db, { to: "x@example.com", subject: "s", html: "<p>h</p>", text: "h" })
        .catch((e) => e);
      expect(error).toBeInstanceOf(TransportError);
      expect(error).toMatchObject({ status: 429, transient: true, retryAfterSeconds: 7 });
    } finally {
      fake.setFailures(undefined);
    }
  });
});
