import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, resetTokens, users } from "@/db/schema";
import { upsertUser } from "@/lib/accounts";
import { AuthorizationError } from "@/lib/auth/guards";
import { listMailbox } from "@/lib/email/mailbox";
import { checkResetToken } from "@/lib/reset-links";
import { uniqueEmail, withTestDb } from "@/test/db";
import { disableAgent, inviteAgent, listStaff } from "./agents";

const testDb = withTestDb();
const password = "a quiet walk along the river";

describe("managing agents", () => {
  it("invites an agent who sets a password through an invite link", async () => {
    const { db } = testDb();
    const admin = (await upsertUser(db, { email: uniqueEmail("admin"), role: "admin", password })).id;
    const email = uniqueEmail("new-agent");
    expect(await inviteAgent(db, admin, { email, name: "New Agent" })).toMatchObject({ ok: true });
    const [row] = await db.select().from(users).where(eq(users.email, email));
    expect(row.role).toBe("agent");
    expect(row.passwordHash).toBeNull();
    expect(row.passwordExpiredAt).not.toBeNull();
    const [mail] = await listMailbox(db, email);
    const token = mail.text.match(/\/reset-password\/([A-Za-z0-9_-]{43})/)![1];
    expect(await checkResetToken(db, token)).toMatchObject({ status: "valid", purpose: "invite", userId: row.id });
    const events = await db.select().from(auditEvents).where(eq(auditEvents.subjectId, row.id));
    expect(events.find((e) => e.action === "agent.invited")?.actorId).toBe(admin);
    expect((await listStaff(db, admin)).map((s) => s.email)).toContain(email);
    // Inviting an agent again is refused.
    expect(await inviteAgent(db, admin, { email })).toMatchObject({ ok: false });
    expect(await inviteAgent(db, admin, { email: "nope" })).toMatchObject({ ok: false });
  });

  it("disables an agent: sessions move on, links die, audited; never oneself", async () => {
    const { db } = testDb();
    const admin = (await upsertUser(db, { email: uniqueEmail("admin"), role: "admin", password })).id;
    const email = uniqueEmail("leaving-agent");
    await inviteAgent(db, admin, { email });
    const [before] = await db.select().from(users).where(eq(users.email, email));
    expect(await disableAgent(db, admin, before.id)).toMatchObject({ ok: true });
    const [after] = await db.select().from(users).where(eq(users.id, before.id));
    expect(after.disabledAt).not.toBeNull();
    expect(after.sessionVersion).toBe(before.sessionVersion + 1);
    const links = await db.select().from(resetTokens).where(eq(resetTokens.userId, before.id));
    expect(links.every((l) => l.revokedAt !== null)).toBe(true);
    expect(await disableAgent(db, admin, admin)).toMatchObject({ ok: false });
    const [event] = await db.select().from(auditEvents).where(eq(auditEvents.action, "user.disabled"));
    expect(event).toMatchObject({ actorId: admin, subjectId: before.id });
  });

  it("refuses agents and customers", async () => {
    const { db } = testDb();
    const agent = (await upsertUser(db, { email: uniqueEmail("agent"), role: "agent", password })).id;
    const victim = (await upsertUser(db, { email: uniqueEmail("other"), role: "agent", password })).id;
    await expect(inviteAgent(db, agent, { email: uniqueEmail() })).rejects.toBeInstanceOf(AuthorizationError);
    await expect(disableAgent(db, agent, victim)).rejects.toBeInstanceOf(AuthorizationError);
    await expect(listStaff(db, agent)).rejects.toBeInstanceOf(AuthorizationError);
    const [row] = await db.select().from(users).where(eq(users.id, victim));
    expect(row.disabledAt).toBeNull();
  });
});
