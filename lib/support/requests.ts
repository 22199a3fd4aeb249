// Support requests: the public contact form (no account needed, no
// enumeration) and the agents' thread actions. Every agent action is
// authorised against the database and recorded in the audit trail.
import { randomBytes } from "node:crypto";
import { and, asc, eq, gt, inArray, isNull, ne, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { createElement } from "react";
import { z } from "zod";
import type { Db } from "@/db/client";
import { supportMessages, supportRequests, users, type InboundAttachmentInfo, type SupportStatus } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { sendEmail } from "@/lib/email";
import { emailBrand } from "@/lib/email/brand";
import { assertRateLimitsInTurn } from "@/lib/rate-limit";
import SupportConfirmationEmail, { supportConfirmationSubject } from "@/emails/support-confirmation";
import SupportReplyEmail, { supportReplySubject } from "@/emails/support-reply";
import { authorizeStaff } from "./authorize";
import { contactSchema, fieldErrorsOf, noteSchema, replySchema, type FieldErrors } from "./text";
import { rememberThreadIds, threadHeaders } from "./threading";
import { topicKeys, type Topic } from "./topics";

// Crockford's base32 without I, L, O, U: easy to read out and type.
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

export function newReference(): string {
  const bytes = randomBytes(8);
  let out = "RD-";
  for (const b of bytes) out += ALPHABET[b & 31];
  return out;
}

export type ContactResult = { ok: true; reference: string } | { ok: false; fieldErrors: FieldErrors };

/** The contact form's fields (the browser checks contactSchema) and the topic chosen, if any. */
export const contactRequestSchema = contactSchema.extend({
  topic: z.enum(topicKeys, { error: "Choose a topic from the list." }).optional(),
});

/**
 * A request from the contact form. The answer (a reference) and the work done
 * are the same whether or not the address has an account. Throws
 * RateLimitedError over the per-IP or per-address limit.
 */
export async function createContactRequest(
  db: Db,
  input: unknown,
  context: { ip: string },
): Promise<ContactResult> {
  const parsed = contactRequestSchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
  const { email, name, message, topic = "other" } = parsed.data;
  // Address first: one sender writing again and again does not use up the
  // budget of everyone behind the same IP. A form that does not validate
  // sends nothing and stores nothing, so it is not counted.
  await assertRateLimitsInTurn(db, [
    ["contact:address", email],
    ["contact:ip", context.ip],
  ]);

  const [account] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  const { requestId, reference } = await db.transaction(async (tx) => {
    for (let attempt = 0; ; attempt++) {
      const candidate = newReference();
      const [created] = await tx
        .insert(supportRequests)
        .values({ reference: candidate, email, name, topic, userId: account?.id ?? null })
        .onConflictDoNothing()
        .returning({ id: supportRequests.id });
      if (!created) {
        if (attempt < 5) continue;
        throw new Error("Could not allocate a request reference.");
      }
      await tx.insert(supportMessages).values({ requestId: created.id, kind: "customer", body: message });
      await recordAudit(tx, {
        action: "support.request_created",
        subjectId: account?.id ?? null,
        ip: context.ip,
        detail: { requestId: created.id, reference: candidate },
      });
      return { requestId: created.id, reference: candidate };
    }
  });

  try {
    // Threaded from the start: an answer to this email comes back to the request.
    const thread = await threadHeaders(db, requestId, reference);
    await rememberThreadIds(db, requestId, [{ messageId: thread.messageId, ours: true }]);
    await sendEmail(db, {
      replyTo: thread.replyTo,
      headers: thread.headers,
      to: email,
      subject: supportConfirmationSubject(reference),
      template: createElement(SupportConfirmationEmail, { reference, brand: emailBrand() }),
      kind: "support_confirmation",
      userId: account?.id ?? null,
      idempotencyKey: `support-confirmation-${reference}`,
    });
  } catch (error) {
    // The request is safely stored; the customer still gets the reference.
    console.error(`support: confirmation email for ${reference} failed: ${(error as Error).message}`);
  }
  return { ok: true, reference };
}

export type ThreadMessage = {
  id: number;
  kind: "customer" | "reply" | "note";
  channel: "web" | "email" | "desk";
  /** inbound email only: the sender's address as received (never proof of identity) */
  fromAddress: string | null;
  subject: string | null;
  attachments: InboundAttachmentInfo[] | null;
  fromHtml: boolean;
  body: string;
  createdAt: Date;
  authorEmail: string | null;
};

export type RequestDetail = {
  id: number;
  reference: string;
  email: string;
  name: string;
  userId: number | null;
  status: SupportStatus;
  topic: Topic;
  /** a merged request: the survivor it was merged into */
  mergedInto: number | null;
  mergedIntoReference: string | null;
  channel: "web" | "email";
  assignedTo: number | null;
  assigneeEmail: string | null;
  createdAt: Date;
  updatedAt: Date;
  resolvedAt: Date | null;
};

const assignee = alias(users, "assignee");
const survivor = alias(supportRequests, "survivor");

async function requestRow(db: Db, requestId: number): Promise<RequestDetail | undefined> {
  const [row] = await db
    .select({
      id: supportRequests.id,
      reference: supportRequests.reference,
      email: supportRequests.email,
      name: supportRequests.name,
      userId: supportRequests.userId,
      status: supportRequests.status,
      topic: supportRequests.topic,
      mergedInto: supportRequests.mergedInto,
      mergedIntoReference: survivor.reference,
      channel: supportRequests.channel,
      assignedTo: supportRequests.assignedTo,
      assigneeEmail: assignee.email,
      createdAt: supportRequests.createdAt,
      updatedAt: supportRequests.updatedAt,
      resolvedAt: supportRequests.resolvedAt,
    })
    .from(supportRequests)
    .leftJoin(assignee, eq(assignee.id, supportRequests.assignedTo))
    .leftJoin(survivor, eq(survivor.id, supportRequests.mergedInto))
    .where(eq(supportRequests.id, requestId));
  return row;
}

/** The whole thread for an agent, internal notes included. */
export async function getRequestForAgent(
  db: Db,
  actorId: number,
  requestId: number,
): Promise<{ request: RequestDetail; messages: ThreadMessage[] } | null> {
  await authorizeStaff(db, actorId);
  const request = await requestRow(db, requestId);
  if (!request) return null;
  const author = alias(users, "author");
  const messages = await db
    .select({
      id: supportMessages.id,
      kind: supportMessages.kind,
      channel: supportMessages.channel,
      fromAddress: supportMessages.fromAddress,
      subject: supportMessages.subject,
      attachments: supportMessages.attachments,
      fromHtml: supportMessages.fromHtml,
      body: supportMessages.body,
      createdAt: supportMessages.createdAt,
      authorEmail: author.email,
    })
    .from(supportMessages)
    .leftJoin(author, eq(author.id, supportMessages.authorId))
    .where(eq(supportMessages.requestId, requestId))
    .orderBy(asc(supportMessages.createdAt), asc(supportMessages.id));
  return { request, messages };
}

/**
 * What the customer may see of a request: their messages and the replies,
 * never an internal note, never who handled it.
 */
export async function customerVisibleThread(db: Db, requestId: number) {
  return db
    .select({ kind: supportMessages.kind, body: supportMessages.body, createdAt: supportMessages.createdAt })
    .from(supportMessages)
    .where(and(eq(supportMessages.requestId, requestId), ne(supportMessages.kind, "note")))
    .orderBy(asc(supportMessages.createdAt), asc(supportMessages.id));
}

export type ActionResult = { ok: true; message: string } | { ok: false; error: string; fieldErrors?: FieldErrors };

const notFound: ActionResult = { ok: false, error: "That request does not exist." };

/** Takes an unassigned request. Idempotent for its holder; refused when another agent holds it. */
export async function claimRequest(db: Db, actorId: number, requestId: number, ip?: string): Promise<ActionResult> {
  const agent = await authorizeStaff(db, actorId);
  return db.transaction(async (tx) => {
    const [claimed] = await tx
      .update(supportRequests)
      .set({ assignedTo: agent.id, updatedAt: new Date() })
      .where(
        and(
          eq(supportRequests.id, requestId),
          isNull(supportRequests.assignedTo),
          inArray(supportRequests.status, ["open", "waiting"]),
        ),
      )
      .returning({ reference: supportRequests.reference, userId: supportRequests.userId });
    if (!claimed) {
      const [row] = await tx
        .select({ assignedTo: supportRequests.assignedTo, status: supportRequests.status })
        .from(supportRequests)
        .where(eq(supportRequests.id, requestId));
      if (!row) return notFound;
      if (row.assignedTo === agent.id) return { ok: true, message: "You already hold this request." };
      if (row.status === "resolved") return { ok: false, error: "This request is resolved." };
      if (row.status === "merged") return { ok: false, error: "This request was merged into another." };
      return { ok: false, error: "Another agent has already claimed this request." };
    }
    await recordAudit(tx, {
      action: "support.claimed",
      actorId: agent.id,
      subjectId: claimed.userId,
      ip,
      detail: { requestId, reference: claimed.reference },
    });
    return { ok: true, message: `You claimed ${claimed.reference}.` };
  });
}

/** Gives a request back to the queue: its holder may, and an admin may for anyone. */
export async function releaseRequest(db: Db, actorId: number, requestId: number, ip?: string): Promise<ActionResult> {
  const agent = await authorizeStaff(db, actorId);
  const holder = agent.role === "admin" ? undefined : eq(supportRequests.assignedTo, agent.id);
  return db.transaction(async (tx) => {
    const [released] = await tx
      .update(supportRequests)
      .set({ assignedTo: null, updatedAt: new Date() })
      .where(and(eq(supportRequests.id, requestId), sql`${supportRequests.assignedTo} is not null`, holder))
      .returning({ reference: supportRequests.reference, userId: supportRequests.userId });
    if (!released) {
      const exists = await requestRow(tx as unknown as Db, requestId);
      return exists ? { ok: false, error: "Only the agent holding this request can release it." } : notFound;
    }
    await recordAudit(tx, {
      action: "support.released",
      actorId: agent.id,
      subjectId: released.userId,
      ip,
      detail: { requestId, reference: released.reference },
    });
    return { ok: true, message: `${released.reference} is back in the queue.` };
  });
}

/** A message that arrived after the agent loaded the thread (a stale reply names them). */
export type NewerMessage = { id: number; kind: "customer" | "reply"; body: string; createdAt: Date; from: string };

export type ReplyResult =
  | { ok: true; message: string }
  | { ok: false; code: "invalid"; error: string; fieldErrors: FieldErrors }
  | { ok: false; code: "missing" | "merged"; error: string }
  | { ok: false; code: "stale"; error: string; newer: NewerMessage[] };

function staleError(newer: NewerMessage[]): string {
  const customer = newer.some((m) => m.kind === "customer");
  const agents = [...new Set(newer.filter((m) => m.kind === "reply").map((m) => m.from))];
  const what = [customer ? "a new message from the customer" : null, agents.length ? `a reply by ${agents.join(", ")}` : null]
    .filter(Boolean)
    .join(" and ");
  return `Not sent: ${what} arrived after you opened this request. Read it, then send your reply again if it still fits.`;
}

/**
 * Emails a reply to the requester and waits on them; an unassigned request
 * becomes the replier's. `seenMessageId` is the newest customer message or
 * reply the agent had on screen: when a newer one exists the reply is refused
 * ("stale"), nothing stored and nothing sent. The request row is locked first,
 * so replies and arriving messages (whose insert needs a key-share lock on the
 * request) take turns, and the check sees every one committed before.
 */
export async function replyToRequest(
  db: Db,
  actorId: number,
  requestId: number,
  body: unknown,
  ip?: string,
  options: { seenMessageId?: number } = {},
): Promise<ReplyResult> {
  const agent = await authorizeStaff(db, actorId);
  const parsed = replySchema.safeParse(body);
  if (!parsed.success) {
    const error = parsed.error.issues[0].message;
    return { ok: false, code: "invalid", error, fieldErrors: { reply: error } };
  }
  const request = await requestRow(db, requestId);
  if (!request) return { ok: false, code: "missing", error: "That request does not exist." };
  const now = new Date();
  const refused = await db.transaction(async (tx): Promise<ReplyResult | null> => {
    const [locked] = await tx
      .select({ status: supportRequests.status })
      .from(supportRequests)
      .where(eq(supportRequests.id, requestId))
      .for("update");
    if (locked.status === "merged") {
      return { ok: false, code: "merged", error: "This request was merged into another: reply there." };
    }
    if (options.seenMessageId !== undefined) {
      const author = alias(users, "author");
      const newer = await tx
        .select({
          id: supportMessages.id,
          kind: supportMessages.kind,
          body: supportMessages.body,
          createdAt: supportMessages.createdAt,
          fromAddress: supportMessages.fromAddress,
          authorEmail: author.email,
        })
        .from(supportMessages)
        .leftJoin(author, eq(author.id, supportMessages.authorId))
        .where(
          and(
            eq(supportMessages.requestId, requestId),
            inArray(supportMessages.kind, ["customer", "reply"]),
            gt(supportMessages.id, options.seenMessageId),
          ),
        )
        .orderBy(asc(supportMessages.createdAt), asc(supportMessages.id))
        .limit(20);
      if (newer.length > 0) {
        const shown: NewerMessage[] = newer.map((m) => ({
          id: m.id,
          kind: m.kind as "customer" | "reply",
          body: m.body,
          createdAt: m.createdAt,
          from: m.kind === "reply" ? (m.authorEmail ?? "another agent") : (m.fromAddress ?? request.name),
        }));
        return { ok: false, code: "stale", error: staleError(shown), newer: shown };
      }
    }
    await tx
      .insert(supportMessages)
      .values({ requestId, kind: "reply", channel: "desk", authorId: agent.id, body: parsed.data, createdAt: now });
    await tx
      .update(supportRequests)
      .set({
        status: "waiting",
        resolvedAt: null,
        updatedAt: now,
        assignedTo: sql`coalesce(${supportRequests.assignedTo}, ${agent.id})`,
      })
      .where(eq(supportRequests.id, requestId));
    await recordAudit(tx, {
      action: "support.replied",
      actorId: agent.id,
      subjectId: request.userId,
      ip,
      detail: { requestId, reference: request.reference },
    });
    return null;
  });
  if (refused) return refused;
  const thread = await threadHeaders(db, requestId, request.reference);
  await rememberThreadIds(db, requestId, [{ messageId: thread.messageId, ours: true }]);
  await sendEmail(db, {
    replyTo: thread.replyTo,
    headers: thread.headers,
    to: request.email,
    subject: supportReplySubject(request.reference),
    template: createElement(SupportReplyEmail, {
      reference: request.reference,
      body: parsed.data,
      brand: emailBrand(),
    }),
    kind: "support_reply",
    userId: request.userId,
  });
  return { ok: true, message: "Reply sent." };
}

/** An internal note: stored on the thread for agents only, never emailed. */
export async function addInternalNote(
  db: Db,
  actorId: number,
  requestId: number,
  body: unknown,
  ip?: string,
): Promise<ActionResult> {
  const agent = await authorizeStaff(db, actorId);
  const parsed = noteSchema.safeParse(body);
  if (!parsed.success) {
    const error = parsed.error.issues[0].message;
    return { ok: false, error, fieldErrors: { note: error } };
  }
  const request = await requestRow(db, requestId);
  if (!request) return notFound;
  await db.transaction(async (tx) => {
    await tx.insert(supportMessages).values({ requestId, kind: "note", channel: "desk", authorId: agent.id, body: parsed.data });
    await tx.update(supportRequests).set({ updatedAt: new Date() }).where(eq(supportRequests.id, requestId));
    await recordAudit(tx, {
      action: "support.noted",
      actorId: agent.id,
      subjectId: request.userId,
      ip,
      detail: { requestId, reference: request.reference },
    });
  });
  return { ok: true, message: "Note added. Customers never see notes." };
}

export async function resolveRequest(db: Db, actorId: number, requestId: number, ip?: string): Promise<ActionResult> {
  const agent = await authorizeStaff(db, actorId);
  return db.transaction(async (tx) => {
    const now = new Date();
    const [resolved] = await tx
      .update(supportRequests)
      .set({ status: "resolved", resolvedAt: now, updatedAt: now })
      .where(and(eq(supportRequests.id, requestId), inArray(supportRequests.status, ["open", "waiting"])))
      .returning({ reference: supportRequests.reference, userId: supportRequests.userId });
    if (!resolved) {
      const exists = await requestRow(tx as unknown as Db, requestId);
      if (exists?.status === "merged") return { ok: false, error: "This request was merged into another: resolve that one." };
      return exists ? { ok: true, message: "This request is already resolved." } : notFound;
    }
    await recordAudit(tx, {
      action: "support.resolved",
      actorId: agent.id,
      subjectId: resolved.userId,
      ip,
      detail: { requestId, reference: resolved.reference },
    });
    return { ok: true, message: `${resolved.reference} is resolved.` };
  });
}
