// The contact form's topic is stored on the request; anything but a known topic is refused.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { supportRequests } from "@/db/schema";
import { uniqueEmail, withTestDb } from "@/test/db";
import { createContactRequest } from "./requests";

const testDb = withTestDb();
let n = 0;
const ip = () => `10.77.0.${++n}`;

describe("the contact form's topic", () => {
  it("is stored with the request, 'other' when none was chosen", async () => {
    const { db } = testDb();
    const card = await createContactRequest(db, { email: uniqueEmail("topic"), name: "Pat", message: "My card?", topic: "card" }, { ip: ip() });
    const none = await createContactRequest(db, { email: uniqueEmail("topic"), name: "Pat", message: "Hello" }, { ip: ip() });
    if (!card.ok || !none.ok) throw new Error("not created");
    const topicOf = async (reference: string) =>
      (await db.select({ topic: supportRequests.topic }).from(supportRequests).where(eq(supportRequests.reference, reference)))[0].topic;
    expect(await topicOf(card.reference)).toBe("card");
    expect(await topicOf(none.reference)).toBe("other");
  });

  it("refuses an unknown topic by the field and stores nothing", async () => {
    const { db } = testDb();
    const email = uniqueEmail("topic");
    const result = await createContactRequest(db, { email, name: "Pat", message: "Hi", topic: "weather" }, { ip: ip() });
    expect(result).toEqual({ ok: false, fieldErrors: { topic: "Choose a topic from the list." } });
    expect(await db.$count(supportRequests, eq(supportRequests.email, email))).toBe(0);
  });
});
