// The outbox transport honours idempotency keys as Resend does: a send or a
// batch retried under the same key stores nothing new and answers the same ids.
import { inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { outboxEmails } from "@/db/schema";
import { uniqueEmail, withTestDb } from "@/test/db";
import { emailTransport } from "./index";

const testDb = withTestDb();
const mail = (to: string, subject = "Hello") => ({ to, subject, html: `<p>${subject}</p>`, text: subject });

describe("the outbox transport", () => {
  it("stores a keyed send once, however often it is retried", async () => {
    const { db } = testDb();
    const to = uniqueEmail("outbox");
    const key = `test-${to}`;
    const first = await emailTransport().send(db, mail(to), key);
    const again = await emailTransport().send(db, mail(to, "Changed"), key);
    expect(again.id).toBe(first.id);
    const rows = await db.select({ subject: outboxEmails.subject }).from(outboxEmails).where(inArray(outboxEmails.to, [to]));
    expect(rows).toEqual([{ subject: "Hello" }]);
  });

  it("stores a retried batch once and answers the same ids in order", async () => {
    const { db } = testDb();
    const to = [uniqueEmail("batch"), uniqueEmail("batch"), uniqueEmail("batch")];
    const key = `batch-${to[0]}`;
    const first = await emailTransport().sendBatch(db, to.map((t) => mail(t)), key);
    const again = await emailTransport().sendBatch(db, to.map((t) => mail(t)), key);
    expect(again.ids).toEqual(first.ids);
    expect(new Set(first.ids).size).toBe(3);
    expect(await db.select({ to: outboxEmails.to }).from(outboxEmails).where(inArray(outboxEmails.to, to))).toHaveLength(3);
  });

  it("stores every unkeyed send", async () => {
    const { db } = testDb();
    const to = uniqueEmail("unkeyed");
    await emailTransport().send(db, mail(to));
    await emailTransport().send(db, mail(to));
    expect(await db.select({ to: outboxEmails.to }).from(outboxEmails).where(inArray(outboxEmails.to, [to]))).toHaveLength(2);
  });
});
