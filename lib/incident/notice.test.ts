import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, incidents, noticeRevisions, noticeUpdates } from "@/db/schema";
import { upsertUser } from "@/lib/accounts";
import { AuthorizationError, type SessionUser } from "@/lib/auth/guards";
import { uniqueEmail, withTestDb } from "@/test/db";
import { demoNotice } from "./demo-notice";
import { lastUpdatedAt, loadPublishedNotice, noticeForEditing, publishNotice, revisionForAdmin } from "./notice";
import type { NoticeFormInput } from "./notice-schema";

const testDb = withTestDb();

async function user(role: SessionUser["role"]): Promise<SessionUser> {
  const email = uniqueEmail(role);
  const { id } = await upsertUser(testDb().db, { email, role });
  return { id, email, name: null, role };
}

function form(overrides: Partial<NoticeFormInput> = {}): NoticeFormInput {
  const demo = demoNotice("Northwind", "help@example.com", Date.parse("2026-11-28T12:00:00Z"));
  return {
    title: demo.title,
    discoveredOn: "2026-11-24",
    breachStartedOn: "2026-11-17",
    breachEndedOn: "2026-11-23",
    noticeOn: "2026-11-27",
    sections: demo.sections,
    faq: demo.faq,
    newUpdate: "",
    ...overrides,
  };
}

async function counts() {
  const { db } = testDb();
  return {
    revisions: (await db.select({ id: noticeRevisions.id }).from(noticeRevisions)).length,
    updates: (await db.select({ id: noticeUpdates.id }).from(noticeUpdates)).length,
    audits: (await db.select({ id: auditEvents.id }).from(auditEvents).where(eq(auditEvents.action, "notice.published"))).length,
  };
}

describe("the incident notice", () => {
  it("has nothing published before the first publish", async () => {
    const { db } = testDb();
    expect(await loadPublishedNotice(db)).toBeNull();
    const editor = await noticeForEditing(db, await user("admin"));
    expect(editor.revisions).toEqual([]);
    expect(editor.form.sections.whatHappened).toBe("");
  });

  it("publishes a new revision on every publish, with its audit event, and lists earlier ones for admins", async () => {
    const { db } = testDb();
    const admin = await user("admin");
    const first = await publishNotice(db, admin, form({ newUpdate: "We published this notice." }), "203.0.113.9");
    expect(first.ok).toBe(true);
    const second = await publishNotice(
      db,
      admin,
      form({ sections: { ...form().sections, whatHappened: "Edited: **new** facts." }, newUpdate: "Emails are going out." }),
    );
    if (!first.ok || !second.ok) throw new Error("publish failed");
    expect(second.revisionId).toBeGreaterThan(first.revisionId);

    const published = await loadPublishedNotice(db);
    expect(published?.revisionId).toBe(second.revisionId);
    expect(published?.sections.whatHappened).toBe("Edited: **new** facts.");
    expect(published?.updates.map((u) => u.body)).toEqual(["Emails are going out.", "We published this notice."]);
    expect(published?.discoveredAt).toBe("2026-11-24T00:00:00.000Z");
    expect(lastUpdatedAt(published!)).toBe(published!.updates[0].postedAt);

    const editor = await noticeForEditing(db, admin);
    expect(editor.revisions.map((r) => r.id)).toEqual([second.revisionId, first.revisionId]);
    expect(editor.revisions[1].publishedBy).toBe(admin.email);
    expect(editor.form.sections.whatHappened).toBe("Edited: **new** facts.");
    expect(editor.form.newUpdate).toBe("");
    const earlier = await revisionForAdmin(db, admin, first.revisionId);
    expect(earlier?.sections.whatHappened).toBe(form().sections.whatHappened);

    const audits = await db
      .select({ actorId: auditEvents.actorId, ip: auditEvents.ip, detail: auditEvents.detail })
      .from(auditEvents)
      .where(eq(auditEvents.action, "notice.published"));
    expect(audits).toContainEqual({
      actorId: admin.id,
      ip: "203.0.113.9",
      detail: expect.objectContaining({ revisionId: first.revisionId, updateId: expect.any(Number) }),
    });
    expect((await db.select().from(incidents)).length).toBe(1);
  });

  it("stores markup typed into a field as text: the page escapes it (markdown.test.tsx)", async () => {
    const { db } = testDb();
    const evil = '<script>alert("x")</script> [click](javascript:alert(1))';
    const result = await publishNotice(db, await user("admin"), form({ faq: [{ question: evil, answer: evil }], newUpdate: evil }));
    expect(result.ok).toBe(true);
    const published = await loadPublishedNotice(db);
    expect(published?.faq[0].question).toBe(evil);
  });

  it("refuses bad input with field errors and changes nothing", async () => {
    const { db } = testDb();
    const admin = await user("admin");
    const before = await counts();
    const cases: [unknown, string][] = [
      [form({ sections: { ...form().sections, whatYouCanDo: "   " } }), "sections.whatYouCanDo"],
      [form({ title: "Bad\u0000title" }), "title"],
      [form({ discoveredOn: "2026-02-30" }), "discoveredOn"],
      [form({ breachStartedOn: "2026-11-23", breachEndedOn: "2026-11-01" }), "breachEndedOn"],
      [form({ faq: [{ question: "Q", answer: "" }] }), "faq.0.answer"],
      [form({ newUpdate: "x".repeat(2001) }), "newUpdate"],
      [{ ...form(), sections: "nope" }, "sections"],
      ["not an object", "form"],
    ];
    for (const [input, field] of cases) {
      const result = await publishNotice(db, admin, input);
      expect(result.ok, field).toBe(false);
      if (!result.ok) expect(Object.keys(result.fieldErrors), field).toContain(field);
    }
    expect(await counts()).toEqual(before);
  });

  it("lets only admins read the editor, earlier revisions, or publish", async () => {
    const { db } = testDb();
    const before = await counts();
    for (const role of ["customer", "agent"] as const) {
      const actor = await user(role);
      await expect(publishNotice(db, actor, form())).rejects.toBeInstanceOf(AuthorizationError);
      await expect(noticeForEditing(db, actor)).rejects.toMatchObject({ status: 403 });
      await expect(revisionForAdmin(db, actor, 1)).rejects.toMatchObject({ status: 403 });
    }
    expect(await counts()).toEqual(before);
  });
});
