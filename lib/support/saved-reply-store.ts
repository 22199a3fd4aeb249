// Saved replies (issue 13): admins create, edit and archive them; agents list
// the live ones, insert one into a reply (filled for that request) or send one
// to many requests at once (lib/support/bulk). Archived, never deleted: a bulk
// answer keeps pointing at the reply it sent. Every change is audited.
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { savedReplies } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { markdownToPlainText } from "@/lib/incident/markdown";
import { authorizeStaff } from "./authorize";
import { savedReplySchemaFor } from "./saved-reply-schema";
import { fillPlaceholders } from "./saved-replies";
import { fieldErrorsOf, type FieldErrors } from "./text";
import { topicKeys, type Topic } from "./topics";

export const savedReplySchema = savedReplySchemaFor(topicKeys);

export type SavedReplyRow = {
  id: number;
  title: string;
  body: string;
  topic: Topic | null;
  updatedAt: Date;
  archivedAt: Date | null;
};

export type SavedReplyResult =
  | { ok: true; id: number; message: string }
  | { ok: false; code: "invalid" | "title-taken" | "missing"; error: string; fieldErrors?: FieldErrors };

const columns = {
  id: savedReplies.id,
  title: savedReplies.title,
  body: savedReplies.body,
  topic: savedReplies.topic,
  updatedAt: savedReplies.updatedAt,
  archivedAt: savedReplies.archivedAt,
};

const MAX_LISTED = 500;

/** Live replies for agents (archived ones too for admins, after the live ones), by title. */
export async function listSavedReplies(
  db: Db,
  actorId: number,
  options: { includeArchived?: boolean } = {},
): Promise<SavedReplyRow[]> {
  const staff = await authorizeStaff(db, actorId);
  const withArchived = options.includeArchived && staff.role === "admin";
  return db
    .select(columns)
    .from(savedReplies)
    .where(withArchived ? undefined : isNull(savedReplies.archivedAt))
    .orderBy(sql`${savedReplies.archivedAt} is not null`, asc(sql`lower(${savedReplies.title})`), asc(savedReplies.id))
    .limit(MAX_LISTED);
}

/** One live saved reply (null when it does not exist or is archived). */
export async function findLiveSavedReply(db: Db, actorId: number, id: number): Promise<SavedReplyRow | null> {
  await authorizeStaff(db, actorId);
  const [row] = await db
    .select(columns)
    .from(savedReplies)
    .where(and(eq(savedReplies.id, id), isNull(savedReplies.archivedAt)));
  return row ?? null;
}

const invalid = (fieldErrors: FieldErrors): SavedReplyResult => ({
  ok: false,
  code: "invalid",
  error: "Check the form.",
  fieldErrors,
});
const titleTaken: SavedReplyResult = {
  ok: false,
  code: "title-taken",
  error: "Another saved reply has this title: choose another, or edit that one.",
  fieldErrors: { title: "Another saved reply has this title." },
};
const missing: SavedReplyResult = { ok: false, code: "missing", error: "That saved reply does not exist or is archived." };

// The partial unique index on lower(title) among live replies, from either driver.
function isUniqueViolation(error: unknown): boolean {
  for (let e = error as { code?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === "23505") return true;
  }
  return false;
}

export async function createSavedReply(db: Db, actorId: number, input: unknown, ip?: string): Promise<SavedReplyResult> {
  const admin = await authorizeStaff(db, actorId, "admin");
  const parsed = savedReplySchema.safeParse(input);
  if (!parsed.success) return invalid(fieldErrorsOf(parsed.error));
  const { title, body, topic } = parsed.data;
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(savedReplies)
      .values({ title, body, topic: topic as Topic | null, createdBy: admin.id, updatedBy: admin.id })
      .onConflictDoNothing()
      .returning({ id: savedReplies.id });
    if (!created) return titleTaken;
    await recordAudit(tx, { action: "saved_reply.created", actorId: admin.id, ip, detail: { savedReplyId: created.id, title } });
    return { ok: true, id: created.id, message: `Saved "${title}".` };
  });
}

export async function updateSavedReply(
  db: Db,
  actorId: number,
  id: number,
  input: unknown,
  ip?: string,
): Promise<SavedReplyResult> {
  const admin = await authorizeStaff(db, actorId, "admin");
  const parsed = savedReplySchema.safeParse(input);
  if (!parsed.success) return invalid(fieldErrorsOf(parsed.error));
  const { title, body, topic } = parsed.data;
  try {
    return await db.transaction(async (tx) => {
      const [updated] = await tx
        .update(savedReplies)
        .set({ title, body, topic: topic as Topic | null, updatedBy: admin.id, updatedAt: new Date() })
        .where(and(eq(savedReplies.id, id), isNull(savedReplies.archivedAt)))
        .returning({ id: savedReplies.id });
      if (!updated) return missing;
      await recordAudit(tx, { action: "saved_reply.updated", actorId: admin.id, ip, detail: { savedReplyId: id, title } });
      return { ok: true, id, message: `Saved "${title}".` };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return titleTaken;
    throw error;
  }
}

/** Archives a reply: agents no longer see it; bulk answers that used it keep their record. */
export async function archiveSavedReply(db: Db, actorId: number, id: number, ip?: string): Promise<SavedReplyResult> {
  const admin = await authorizeStaff(db, actorId, "admin");
  return db.transaction(async (tx) => {
    const [archived] = await tx
      .update(savedReplies)
      .set({ archivedAt: new Date(), updatedBy: admin.id, updatedAt: new Date() })
      .where(and(eq(savedReplies.id, id), isNull(savedReplies.archivedAt)))
      .returning({ id: savedReplies.id, title: savedReplies.title });
    if (!archived) return missing;
    await recordAudit(tx, {
      action: "saved_reply.archived",
      actorId: admin.id,
      ip,
      detail: { savedReplyId: id, title: archived.title },
    });
    return { ok: true, id, message: `Archived "${archived.title}".` };
  });
}

/**
 * A saved reply filled for one request (as the request page has it loaded),
 * as the plain text of a reply (replies are text; the Markdown's links keep
 * their address in brackets). Null when the reply does not exist.
 */
export async function savedReplyForRequest(
  db: Db,
  actorId: number,
  savedReplyId: number,
  request: { name: string; email: string; reference: string },
): Promise<{ title: string; text: string } | null> {
  const reply = await findLiveSavedReply(db, actorId, savedReplyId);
  if (!reply) return null;
  return { title: reply.title, text: markdownToPlainText(fillPlaceholders(reply.body, request)) };
}

/** Live replies for a request's picker: those for the request's topic first, then the rest by title. */
export async function savedRepliesForRequest(db: Db, actorId: number, request: { topic: string }): Promise<SavedReplyRow[]> {
  const replies = await listSavedReplies(db, actorId);
  return [...replies.filter((r) => r.topic === request.topic), ...replies.filter((r) => r.topic !== request.topic)];
}
