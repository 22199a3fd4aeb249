import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, savedReplies, supportRequests } from "@/db/schema";
import { upsertUser } from "@/lib/accounts";
import { AuthorizationError } from "@/lib/auth/guards";
import { demoNotice } from "@/lib/incident/demo-notice";
import { uniqueEmail, withTestDb } from "@/test/db";
import { createContactRequest } from "./requests";
import { seedSavedReplies } from "./saved-reply-seed";
import {
  archiveSavedReply,
  createSavedReply,
  findLiveSavedReply,
  listSavedReplies,
  savedReplyForRequest,
  updateSavedReply,
} from "./saved-reply-store";

const testDb = withTestDb();

async function staff(role: "agent" | "admin") {
  return (await upsertUser(testDb().db, { email: uniqueEmail(role), role, password: "a quiet walk along the river" })).id;
}

const unique = (title: string) => `${title} ${Math.random().toString(36).slice(2, 8)}`;

describe("saved replies", () => {
  it("an admin creates, edits and archives one; each step is audited; agents see only live ones", async () => {
    const { db } = testDb();
    const admin = await staff("admin");
    const agent = await staff("agent");
    const title = unique("Card safety");
    const created = await createSavedReply(db, admin, { title, body: "Hello {{name}}, your card is **safe**.", topic: "card" });
    expect(created.ok).toBe(true);
    const id = created.ok ? created.id : 0;
    expect((await listSavedReplies(db, agent)).map((r) => r.title)).toContain(title);

    const edited = await updateSavedReply(db, admin, id, { title, body: "Hi {{name}}: only the last four digits.", topic: "" });
    expect(edited.ok).toBe(true);
    const live = await findLiveSavedReply(db, agent, id);
    expect(live).toMatchObject({ body: "Hi {{name}}: only the last four digits.", topic: null });

    expect((await archiveSavedReply(db, admin, id)).ok).toBe(true);
    expect(await findLiveSavedReply(db, agent, id)).toBeNull();
    expect((await listSavedReplies(db, agent)).map((r) => r.id)).not.toContain(id);
    const withArchived = await listSavedReplies(db, admin, { includeArchived: true });
    expect(withArchived.find((r) => r.id === id)?.archivedAt).toBeInstanceOf(Date);
    // An archived reply cannot be edited or archived again.
    expect(await updateSavedReply(db, admin, id, { title, body: "x" })).toMatchObject({ ok: false, code: "missing" });
    expect(await archiveSavedReply(db, admin, id)).toMatchObject({ ok: false, code: "missing" });

    const actions = await db
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .where(eq(auditEvents.actorId, admin));
    expect(actions.map((a) => a.action).sort()).toEqual(["saved_reply.archived", "saved_reply.created", "saved_reply.updated"]);
  });

  it("refuses bad input with field errors and stores nothing", async () => {
    const { db } = testDb();
    const admin = await staff("admin");
    const before = await db.$count(savedReplies);
    const cases: [unknown, string][] = [
      [{ title: "", body: "Hello" }, "title"],
      [{ title: "Two\nlines", body: "Hello" }, "title"],
      [{ title: "x".repeat(121), body: "Hello" }, "title"],
      [{ title: "Body", body: "   " }, "body"],
      [{ title: "Body", body: "Hi {{nmae}}" }, "body"],
      [{ title: "Body", body: "[track](https://example.com/{{reference}})" }, "body"],
      [{ title: "Body", body: "bell \u0007" }, "body"],
      [{ title: "Topic", body: "Hello", topic: "weather" }, "topic"],
      [{ title: 42, body: ["x"] }, "title"],
    ];
    for (const [input, field] of cases) {
      const result = await createSavedReply(db, admin, input);
      expect(result.ok, JSON.stringify(input)).toBe(false);
      if (!result.ok) expect(result.fieldErrors?.[field], JSON.stringify(input)).toBeTruthy();
    }
    expect(await db.$count(savedReplies)).toBe(before);
  });

  it("keeps titles unique among live replies, case-insensitively; an archived title can be used again", async () => {
    const { db } = testDb();
    const admin = await staff("admin");
    const title = unique("Is this email genuine");
    const first = await createSavedReply(db, admin, { title, body: "Yes." });
    expect(first.ok).toBe(true);
    expect(await createSavedReply(db, admin, { title: title.toUpperCase(), body: "Again" })).toMatchObject({ ok: false, code: "title-taken" });
    const other = await createSavedReply(db, admin, { title: unique("Other"), body: "Other" });
    expect(await updateSavedReply(db, admin, other.ok ? other.id : 0, { title, body: "Other" })).toMatchObject({
      ok: false,
      code: "title-taken",
    });
    await archiveSavedReply(db, admin, first.ok ? first.id : 0);
    expect((await createSavedReply(db, admin, { title, body: "A new one" })).ok).toBe(true);
  });

  it("only admins manage them; agents may read them", async () => {
    const { db } = testDb();
    const agent = await staff("agent");
    await expect(createSavedReply(db, agent, { title: "Nope", body: "Nope" })).rejects.toBeInstanceOf(AuthorizationError);
    await expect(archiveSavedReply(db, agent, 1)).rejects.toBeInstanceOf(AuthorizationError);
    const customer = (await upsertUser(db, { email: uniqueEmail("customer"), role: "customer" })).id;
    await expect(listSavedReplies(db, customer)).rejects.toBeInstanceOf(AuthorizationError);
  });

  it("fills a reply for one request as plain text, the customer's name taken literally", async () => {
    const { db } = testDb();
    const admin = await staff("admin");
    const agent = await staff("agent");
    const created = await createSavedReply(db, admin, {
      title: unique("Reset"),
      body: "Hello {{name}},\n\nUse [the reset page](/forgot-password). Your request: **{{reference}}**.",
    });
    const contact = await createContactRequest(
      db,
      { email: uniqueEmail("writer"), name: "[Bob](https://evil.example) *X*", message: "Help" },
      { ip: "10.9.0.1" },
    );
    if (!created.ok || !contact.ok) throw new Error("setup failed");
    const [request] = await db
      .select({ name: supportRequests.name, email: supportRequests.email, reference: supportRequests.reference })
      .from(supportRequests)
      .where(eq(supportRequests.reference, contact.reference));
    const filled = await savedReplyForRequest(db, agent, created.id, request);
    expect(filled?.text).toBe(
      `Hello [Bob](https://evil.example) *X*,\n\nUse the reset page (/forgot-password). Your request: ${contact.reference}.`,
    );
    expect(await savedReplyForRequest(db, agent, 987654321, request)).toBeNull();
    await archiveSavedReply(db, admin, created.id);
    expect(await savedReplyForRequest(db, agent, created.id, request)).toBeNull();
  });

  it("the demo seeds one reply per FAQ question, once", async () => {
    const { db } = testDb();
    const faq = demoNotice("Brand", "help@example.com").faq;
    const first = await seedSavedReplies(db, faq);
    expect(first).toBe(faq.length);
    expect(await seedSavedReplies(db, faq)).toBe(0);
    const admin = await staff("admin");
    const titles = (await listSavedReplies(db, admin)).map((r) => r.title);
    for (const q of faq) expect(titles).toContain(q.question);
    const card = (await listSavedReplies(db, admin)).find((r) => r.title === "Was my card number stolen?");
    expect(card?.topic).toBe("card");
    expect(card?.body).toContain("{{name}}");
  });
});
