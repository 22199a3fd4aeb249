// Managing agents (admins only): invite by email — the new agent sets a
// password through a one-time "invite" link — and disable. A disabled account
// loses its sessions (session version moves on) and its outstanding links.
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { createElement } from "react";
import { z } from "zod";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import { emailSchema, upsertUser } from "@/lib/accounts";
import { recordAudit } from "@/lib/audit";
import { sendEmail } from "@/lib/email";
import { durationText, emailBrand } from "@/lib/email/brand";
import { issueResetLink, lifetimeMs, revokeAllLinks } from "@/lib/reset-links";
import AgentInviteEmail, { agentInviteSubject } from "@/emails/agent-invite";
import { authorizeStaff } from "./authorize";
import { cleanText, fieldErrorsOf, type FieldErrors } from "./text";

export type StaffRow = {
  id: number;
  email: string;
  name: string | null;
  role: "customer" | "agent" | "admin";
  disabledAt: Date | null;
  passwordChangedAt: Date | null;
  createdAt: Date;
};

export async function listStaff(db: Db, actorId: number): Promise<StaffRow[]> {
  await authorizeStaff(db, actorId, "admin");
  return db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      disabledAt: users.disabledAt,
      passwordChangedAt: users.passwordChangedAt,
      createdAt: users.createdAt,
    })
    .from(users)
    .where(inArray(users.role, ["agent", "admin"]))
    .orderBy(asc(users.email))
    .limit(500);
}

export const inviteSchema = z.object({
  email: emailSchema,
  name: cleanText("a name", 200, { multiline: false }).optional().or(z.literal("").transform(() => undefined)),
});

export type AdminResult = { ok: true; message: string } | { ok: false; error: string; fieldErrors?: FieldErrors };

export async function inviteAgent(db: Db, actorId: number, input: unknown, ip?: string): Promise<AdminResult> {
  const admin = await authorizeStaff(db, actorId, "admin");
  const parsed = inviteSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: "Check the form.", fieldErrors: fieldErrorsOf(parsed.error) };
  const { email, name } = parsed.data;
  const [existing] = await db
    .select({ id: users.id, role: users.role, disabledAt: users.disabledAt })
    .from(users)
    .where(eq(users.email, email));
  if (existing && existing.role !== "customer") {
    return { ok: false, error: `${email} is already ${existing.role === "admin" ? "an admin" : "an agent"}.` };
  }
  // A new account starts expired: its only way in is the invite link.
  const { id } = await upsertUser(db, { email, role: "agent", name, actorId: admin.id });
  const link = await issueResetLink(db, { userId: id, purpose: "invite", createdBy: admin.id, ip });
  await recordAudit(db, { action: "agent.invited", actorId: admin.id, subjectId: id, ip, detail: { wasCustomer: Boolean(existing) } });
  const brand = emailBrand();
  await sendEmail(db, {
    to: email,
    subject: agentInviteSubject(brand),
    template: createElement(AgentInviteEmail, { brand, url: link.url, expiresInText: durationText(lifetimeMs("invite")) }),
    kind: "agent_invite",
    userId: id,
  });
  return { ok: true, message: `Invitation sent to ${email}.` };
}

/** Disables an agent account: sessions and links die at once. Admins are managed with the CLI. */
export async function disableAgent(db: Db, actorId: number, agentId: number, ip?: string): Promise<AdminResult> {
  const admin = await authorizeStaff(db, actorId, "admin");
  if (agentId === admin.id) return { ok: false, error: "You cannot disable your own account." };
  return db.transaction(async (tx) => {
    const now = new Date();
    const [disabled] = await tx
      .update(users)
      .set({ disabledAt: now, sessionVersion: sql`${users.sessionVersion} + 1` })
      .where(and(eq(users.id, agentId), eq(users.role, "agent"), sql`${users.disabledAt} is null`))
      .returning({ id: users.id, email: users.email });
    if (!disabled) return { ok: false, error: "No active agent with that id." };
    await revokeAllLinks(tx, disabled.id, now);
    await recordAudit(tx, { action: "user.disabled", actorId: admin.id, subjectId: disabled.id, ip });
    return { ok: true, message: `${disabled.email} is disabled and signed out everywhere.` };
  });
}
