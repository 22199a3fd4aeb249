// Keeping the queue tidy: an agent changes a request's topic, or merges a
// customer's duplicate requests into one. Both are audited with the agent.
import { and, desc, eq, inArray, ne, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { supportMessages, supportRequests, supportThreadIds, type SupportStatus } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { authorizeStaff } from "./authorize";
import { parseTopic, topicLabels, type Topic } from "./topics";

export type OrganiseResult =
  | { ok: true; message: string; requestId: number }
  | { ok: false; code: "missing" | "invalid" | "same" | "merged" | "other-customer" | "changed"; error: string };

const missing = { ok: false, code: "missing", error: "That request does not exist." } as const;

export async function changeTopic(db: Db, actorId: number, requestId: number, topic: unknown, ip?: string): Promise<OrganiseResult> {
  const agent = await authorizeStaff(db, actorId);
  const chosen = parseTopic(topic);
  if (!chosen) return { ok: false, code: "invalid", error: "Choose one of the topics." };
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select({ topic: supportRequests.topic, status: supportRequests.status, reference: supportRequests.reference, userId: supportRequests.userId })
      .from(supportRequests)
      .where(eq(supportRequests.id, requestId))
      .for("update");
    if (!before) return missing;
    if (before.status === "merged") return { ok: false, code: "merged", error: "This request was merged into another: change the topic there." };
    if (before.topic === chosen) return { ok: true, requestId, message: `The topic is already “${topicLabels[chosen]}”.` };
    await tx.update(supportRequests).set({ topic: chosen, updatedAt: new Date() }).where(eq(supportRequests.id, requestId));
    await recordAudit(tx, {
      action: "support.topic_changed",
      actorId: agent.id,
      subjectId: before.userId,
      ip,
      detail: { requestId, reference: before.reference, from: before.topic, to: chosen },
    });
    return { ok: true, requestId, message: `The topic is now “${topicLabels[chosen]}”.` };
  });
}

type Row = { id: number; reference: string; email: string; status: SupportStatus; mergedInto: number | null; assignedTo: number | null; userId: number | null; topic: Topic };

const rowColumns = {
  id: supportRequests.id,
  reference: supportRequests.reference,
  email: supportRequests.email,
  status: supportRequests.status,
  mergedInto: supportRequests.mergedInto,
  assignedTo: supportRequests.assignedTo,
  userId: supportRequests.userId,
  topic: supportRequests.topic,
};

/**
 * Folds `mergedId` into `survivorId` (a request already merged elsewhere
 * stands for its survivor): the messages move over and keep their order (the
 * thread is ordered by time), the thread's Message-IDs move too so that email
 * replies to either land on the survivor, requests merged earlier into the
 * merged one are repointed (merged_into always names a survivor), and the
 * merged request leaves every queue. Only requests of the same customer merge.
 */
export async function mergeRequests(
  db: Db,
  actorId: number,
  ids: { mergedId: number; survivorId: number },
  ip?: string,
): Promise<OrganiseResult> {
  const agent = await authorizeStaff(db, actorId);
  return db.transaction(async (tx) => {
    const read = async (wanted: number[], lock: boolean) => {
      const query = tx.select(rowColumns).from(supportRequests).where(inArray(supportRequests.id, wanted)).orderBy(supportRequests.id);
      const rows: Row[] = lock ? await query.for("update") : await query;
      return new Map(rows.map((r) => [r.id, r]));
    };
    const first = await read([ids.mergedId, ids.survivorId], false);
    const asked = first.get(ids.survivorId);
    if (!first.get(ids.mergedId) || !asked) return missing;
    const survivorId = asked.status === "merged" && asked.mergedInto ? asked.mergedInto : asked.id;
    // Locked in id order, like every writer that locks two requests, so two merges never deadlock.
    const locked = await read([ids.mergedId, survivorId], true);
    const merged = locked.get(ids.mergedId);
    const survivor = locked.get(survivorId);
    if (!merged || !survivor) return missing;
    if (merged.id === survivor.id) return { ok: false, code: "same", error: "A request cannot be merged into itself." };
    if (merged.status === "merged") return { ok: false, code: "merged", error: `${merged.reference} is already merged into another request.` };
    if (survivor.status === "merged") return { ok: false, code: "changed", error: "That request changed meanwhile: reload and try again." };
    if (merged.email !== survivor.email) {
      return { ok: false, code: "other-customer", error: "Only requests from the same customer address can be merged." };
    }

    const now = new Date();
    await tx.update(supportMessages).set({ requestId: survivor.id }).where(eq(supportMessages.requestId, merged.id));
    await tx.update(supportThreadIds).set({ requestId: survivor.id }).where(eq(supportThreadIds.requestId, merged.id));
    await tx.update(supportRequests).set({ mergedInto: survivor.id }).where(eq(supportRequests.mergedInto, merged.id));
    await tx
      .update(supportRequests)
      .set({ status: "merged", mergedInto: survivor.id, resolvedAt: null, updatedAt: now })
      .where(eq(supportRequests.id, merged.id));
    // The survivor takes the livelier status of the two: open before waiting before resolved.
    const rank: Record<string, number> = { open: 0, waiting: 1, resolved: 2 };
    const status = rank[merged.status] < rank[survivor.status] ? merged.status : survivor.status;
    await tx
      .update(supportRequests)
      .set({
        updatedAt: now,
        assignedTo: survivor.assignedTo ?? merged.assignedTo,
        ...(status !== survivor.status ? { status, resolvedAt: null } : {}),
      })
      .where(eq(supportRequests.id, survivor.id));
    await tx.insert(supportMessages).values({
      requestId: survivor.id,
      kind: "note",
      channel: "desk",
      authorId: agent.id,
      body: `${merged.reference} was merged into this request by ${agent.email}.`,
      createdAt: now,
    });
    await recordAudit(tx, {
      action: "support.merged",
      actorId: agent.id,
      subjectId: survivor.userId ?? merged.userId,
      ip,
      detail: { requestId: survivor.id, reference: survivor.reference, mergedId: merged.id, mergedReference: merged.reference },
    });
    return { ok: true, requestId: survivor.id, message: `${merged.reference} is merged into ${survivor.reference}.` };
  });
}

export type RelatedRequest = { id: number; reference: string; status: SupportStatus; topic: Topic; createdAt: Date };

/** The customer's other requests a request can merge with, and those merged into it (20 of each at most). */
export async function relatedRequests(
  db: Db,
  actorId: number,
  request: { id: number; email: string },
): Promise<{ candidates: RelatedRequest[]; mergedHere: RelatedRequest[] }> {
  await authorizeStaff(db, actorId);
  const columns = {
    id: supportRequests.id,
    reference: supportRequests.reference,
    status: supportRequests.status,
    topic: supportRequests.topic,
    createdAt: supportRequests.createdAt,
  };
  const [candidates, mergedHere] = await Promise.all([
    db
      .select(columns)
      .from(supportRequests)
      .where(and(eq(supportRequests.email, request.email), ne(supportRequests.id, request.id), ne(supportRequests.status, "merged")))
      .orderBy(desc(supportRequests.createdAt))
      .limit(20),
    db
      .select(columns)
      .from(supportRequests)
      .where(eq(supportRequests.mergedInto, request.id))
      .orderBy(desc(sql`${supportRequests.createdAt}`))
      .limit(20),
  ]);
  return { candidates, mergedHere };
}
