// Creating a bulk answer: the confirmation form's one-time key makes a double
// click or a resubmission find the same job; the targets are fixed at once,
// each with the newest customer message it had at the confirmed moment.
import { and, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { rowsOf, type Db } from "@/db/client";
import { bulkAnswers, savedReplies } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { authorizeStaff } from "../authorize";
import { describeSelection, selectionWhere, type BulkSelection } from "./selection";

export type CreateBulkInput = {
  clientKey: unknown;
  savedReplyId: unknown;
  markResolved: unknown;
  /** the newest message id when the confirmation page was shown */
  asOf: unknown;
  /** the count the agent confirmed ("Send to N requests") */
  confirmed: unknown;
  selection: BulkSelection | null;
};

export type CreateBulkResult =
  | { ok: true; id: number; created: boolean }
  | {
      ok: false;
      code: "invalid" | "no-reply" | "empty" | "grew" | "key-taken";
      error: string;
      /** "grew": how many match now */
      count?: number;
    };

const inputSchema = z.object({
  clientKey: z.uuid(),
  savedReplyId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  markResolved: z.boolean(),
  asOf: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  confirmed: z.coerce.number().int().min(1).max(10_000_000),
});

class Refused extends Error {
  constructor(readonly result: Extract<CreateBulkResult, { ok: false }>) {
    super(result.error);
  }
}

export async function createBulkAnswer(db: Db, actorId: number, input: CreateBulkInput, ip?: string): Promise<CreateBulkResult> {
  const agent = await authorizeStaff(db, actorId);
  const parsed = inputSchema.safeParse(input);
  if (!parsed.success || !input.selection) {
    return { ok: false, code: "invalid", error: "The confirmation form was incomplete: choose the requests again." };
  }
  const { clientKey, savedReplyId, markResolved, confirmed } = parsed.data;
  const selection = input.selection;

  const existing = await jobOfKey(db, clientKey);
  if (existing) return existing.createdBy === agent.id ? { ok: true, id: existing.id, created: false } : keyTaken;

  const [reply] = await db
    .select({ id: savedReplies.id, title: savedReplies.title, body: savedReplies.body })
    .from(savedReplies)
    .where(and(eq(savedReplies.id, savedReplyId), isNull(savedReplies.archivedAt)));
  if (!reply) return { ok: false, code: "no-reply", error: "That saved reply no longer exists: choose another." };

  // Never later than now, whatever the form says.
  const [{ newest }] = rowsOf<{ newest: number | string }>(
    await db.execute(sql`select coalesce(max(id), 0)::int8 as newest from support_messages`),
  );
  const asOf = Math.min(parsed.data.asOf, Number(newest));

  try {
    return await db.transaction(async (tx) => {
      const [job] = await tx
        .insert(bulkAnswers)
        .values({
          clientKey,
          createdBy: agent.id,
          savedReplyId: reply.id,
          title: reply.title,
          body: reply.body,
          markResolved,
          selection: { ...selection, description: describeSelection(selection), asOf, confirmed },
        })
        .onConflictDoNothing({ target: bulkAnswers.clientKey })
        .returning({ id: bulkAnswers.id });
      if (!job) {
        // The same form submitted twice at once: the other submission made the job.
        const other = await jobOfKey(tx as unknown as Db, clientKey);
        if (!other || other.createdBy !== agent.id) throw new Refused(keyTaken);
        return { ok: true as const, id: other.id, created: false };
      }
      // Each target with its newest customer message at the confirmed moment;
      // a request with none then (opened since) was not on the agent's screen.
      const [{ total }] = rowsOf<{ total: number | string }>(
        await tx.execute(sql`
          with added as (
            insert into bulk_answer_targets (bulk_answer_id, request_id, seen_message_id)
            select ${job.id}, "support_requests"."id", seen.id
            from "support_requests"
            cross join lateral (
              select max(m.id) as id from support_messages m
              where m.request_id = "support_requests"."id" and m.kind = 'customer' and m.id <= ${asOf}
            ) seen
            where ${selectionWhere(selection, agent.id) ?? sql`true`} and seen.id is not null
            returning 1)
          select count(*)::int8 as total from added`),
      );
      const count = Number(total);
      if (count === 0) throw new Refused({ ok: false, code: "empty", error: "None of those requests can be answered any more." });
      if (count > confirmed) {
        throw new Refused({
          ok: false,
          code: "grew",
          error: `${count} requests match now, more than the ${confirmed} you confirmed: check and confirm again.`,
          count,
        });
      }
      await tx.update(bulkAnswers).set({ total: count }).where(eq(bulkAnswers.id, job.id));
      await recordAudit(tx, {
        action: "support.bulk_answer_started",
        actorId: agent.id,
        ip,
        detail: { bulkAnswerId: job.id, savedReplyId: reply.id, title: reply.title, requests: count, markResolved, selection: describeSelection(selection) },
      });
      return { ok: true as const, id: job.id, created: true };
    });
  } catch (error) {
    if (error instanceof Refused) return error.result;
    throw error;
  }
}

const keyTaken: Extract<CreateBulkResult, { ok: false }> = {
  ok: false,
  code: "key-taken",
  error: "That confirmation form was already used: choose the requests again.",
};

async function jobOfKey(db: Db, clientKey: string) {
  const [row] = await db
    .select({ id: bulkAnswers.id, createdBy: bulkAnswers.createdBy })
    .from(bulkAnswers)
    .where(eq(bulkAnswers.clientKey, clientKey));
  return row;
}
