// Customer lookup for agents (SPEC 4.7): password status, emails sent and
// their delivery state, the account's audit events and requests, and a reset
// link to the email on file. Never a hash, a token, or a way to set a password
// or change the email. Agents see customers only; admins see every account.
import { and, desc, eq, gt, or } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "@/db/client";
import { auditEvents, sentEmails, supportRequests, users } from "@/db/schema";
import { publicUserColumns, type PublicUser } from "@/lib/accounts";
import { recordAudit } from "@/lib/audit";
import { durationText } from "@/lib/email/brand";
import { assertRateLimit } from "@/lib/rate-limit";
import { lifetimeMs } from "@/lib/reset-links";
import { sendResetLinkToAccount } from "@/lib/reset-links/flows";
import { authorizeStaff, type Staff } from "./authorize";

export function mayView(agent: Staff, customer: { role: string }) {
  return agent.role === "admin" || customer.role === "customer";
}

export type CustomerEmailRow = { id: number; kind: string; subject: string; status: string; createdAt: Date };
export type ActivityRow = {
  id: number;
  at: Date;
  action: string;
  actorEmail: string | null;
  actorIsCustomer: boolean;
  ip: string | null;
  purpose: string | null;
};
export type CustomerRequestRow = { id: number; reference: string; status: string; createdAt: Date };

export type CustomerOverview = {
  customer: Omit<PublicUser, "role"> & { role: string };
  emails: CustomerEmailRow[];
  activity: ActivityRow[];
  requests: CustomerRequestRow[];
};

export async function customerOverview(
  db: Db,
  actorId: number,
  customerId: number,
  ip?: string,
): Promise<CustomerOverview | null> {
  const agent = await authorizeStaff(db, actorId);
  const [customer] = await db.select(publicUserColumns).from(users).where(eq(users.id, customerId));
  if (!customer || !mayView(agent, customer)) return null;

  // Each agent's look at an account is audited, once per ten minutes.
  const [recent] = await db
    .select({ id: auditEvents.id })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.action, "support.customer_viewed"),
        eq(auditEvents.actorId, agent.id),
        eq(auditEvents.subjectId, customer.id),
        gt(auditEvents.at, new Date(Date.now() - 10 * 60_000)),
      ),
    )
    .limit(1);
  if (!recent) await recordAudit(db, { action: "support.customer_viewed", actorId: agent.id, subjectId: customer.id, ip });

  const emails = await db
    .select({
      id: sentEmails.id,
      kind: sentEmails.kind,
      subject: sentEmails.subject,
      status: sentEmails.status,
      createdAt: sentEmails.createdAt,
    })
    .from(sentEmails)
    .where(or(eq(sentEmails.userId, customer.id), eq(sentEmails.to, customer.email)))
    .orderBy(desc(sentEmails.createdAt), desc(sentEmails.id))
    .limit(100);

  const actor = alias(users, "actor");
  const events = await db
    .select({
      id: auditEvents.id,
      at: auditEvents.at,
      action: auditEvents.action,
      actorId: auditEvents.actorId,
      actorEmail: actor.email,
      ip: auditEvents.ip,
      detail: auditEvents.detail,
    })
    .from(auditEvents)
    .leftJoin(actor, eq(actor.id, auditEvents.actorId))
    .where(or(eq(auditEvents.subjectId, customer.id), eq(auditEvents.actorId, customer.id)))
    .orderBy(desc(auditEvents.at), desc(auditEvents.id))
    .limit(100);
  const activity = events.map((e) => ({
    id: e.id,
    at: e.at,
    action: e.action,
    actorEmail: e.actorEmail,
    actorIsCustomer: e.actorId === customer.id,
    ip: e.ip,
    // Only known, harmless detail reaches the page.
    purpose: typeof e.detail?.purpose === "string" ? e.detail.purpose : null,
  }));

  const requests = await db
    .select({
      id: supportRequests.id,
      reference: supportRequests.reference,
      status: supportRequests.status,
      createdAt: supportRequests.createdAt,
    })
    .from(supportRequests)
    .where(or(eq(supportRequests.userId, customer.id), eq(supportRequests.email, customer.email)))
    .orderBy(desc(supportRequests.createdAt))
    .limit(100);

  return { customer, emails, activity, requests };
}

export type SendLinkResult = { ok: true; message: string } | { ok: false; error: string };

/**
 * Sends a reset link (purpose "agent", 24 h by default) to the email on file
 * only: the agent never chooses the address and never sees the link. Shares
 * the per-address limit of self-service link requests.
 */
export async function sendResetLinkFromAgent(
  db: Db,
  actorId: number,
  customerId: number,
  ip?: string,
): Promise<SendLinkResult> {
  const agent = await authorizeStaff(db, actorId);
  const [customer] = await db
    .select({ id: users.id, email: users.email, role: users.role, disabledAt: users.disabledAt })
    .from(users)
    .where(eq(users.id, customerId));
  if (!customer || !mayView(agent, customer)) return { ok: false, error: "That account does not exist." };
  if (customer.disabledAt) return { ok: false, error: "This account is disabled: no link was sent." };
  await assertRateLimit(db, "reset-link:address", customer.email);
  const { sent } = await sendResetLinkToAccount(db, { userId: customer.id, purpose: "agent", createdBy: agent.id, ip });
  if (!sent) return { ok: false, error: "No link was sent: the account is disabled." };
  const lifetime = durationText(lifetimeMs("agent"));
  return { ok: true, message: `A reset link was sent to the email on file. It works once, for ${lifetime}.` };
}
