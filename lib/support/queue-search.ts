// How a search runs on the queue (lib/support/queue.ts): one branch per way of
// matching (reference, address prefix, words), rare words looked up in the
// GIN index first, a common word walked in order on a time budget. Measured
// and explained in docs/capacity.md, "The desk at volume".
import { and, sql, type SQL } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { supportMessages } from "@/db/schema";
import { messageSearchVector, queueWhere, searchConditions, type QueueQuery } from "./queue-query";

/**
 * Words expected in at most `fewWordMessages` messages are looked up first,
 * through the GIN index alone; a walk of the view for a common word gets
 * `walkBudgetMs` before the words are read whole instead (tests change both).
 */
export const searchTuning = { fewWordMessages: 10_000, walkBudgetMs: 250 };

/** A view's conditions (see branchesOf), and for a common word the same without a walk. */
export type Branches = { conditions: SQL[]; unwalked?: SQL[] };

/**
 * The view's conditions, one per branch: one without a search; with one, a
 * branch per way of matching (reference, address, words), each run on its
 * own so the planner picks its best plan, then merged (queue-query.ts).
 * Words the planner expects in at most searchTuning.fewWordMessages messages
 * (its estimate from the index's statistics, read with EXPLAIN: no rows are
 * read) are looked up first in the GIN index: when they are that rare, the
 * branch is the list of their requests, exact and cheap whatever the view.
 * A common word is left to the planner, which walks the view in order and
 * stops at a page of matches, usually within a few milliseconds; but a word
 * whose messages are mostly outside the view makes that walk read every
 * message of the view (seconds at 100,000 requests), so the walk runs on a
 * budget (withinBudget) and, past it, the words are read whole instead.
 */
export async function branchesOf(db: Db, query: QueueQuery, actorId: number): Promise<Branches> {
  if (!query.q) return { conditions: [queueWhere(query, actorId) ?? sql`true`] };
  const words = sql`from ${supportMessages} where ${messageSearchVector} @@ websearch_to_tsquery('english', ${query.q})`;
  const base = queueWhere({ filter: query.filter, topic: query.topic }, actorId);
  const inView = (conditions: SQL[]) => conditions.map((match) => and(base, match) ?? match);
  if ((await expectedRows(db, sql`select 1 ${words}`)) <= searchTuning.fewWordMessages) {
    const found = rowsOf<{ request_id: number | string }>(
      await db.execute(sql`select ${supportMessages.requestId} as request_id ${words} limit ${searchTuning.fewWordMessages + 1}`),
    );
    if (found.length <= searchTuning.fewWordMessages) {
      return { conditions: inView(searchConditions(query.q, { found: [...new Set(found.map((r) => Number(r.request_id)))] })) };
    }
    // More than expected after all: a common word.
  }
  return { conditions: inView(searchConditions(query.q)), unwalked: inView(searchConditions(query.q, { asSet: true })) };
}

const QUERY_CANCELED = "57014";

/** Runs `read` on the branches; for a common word on a time budget, then (past it) without the walk. */
export async function withinBudget<T>(db: Db, branches: Branches, read: (db: Db, conditions: SQL[]) => Promise<T>): Promise<T> {
  if (!branches.unwalked) return read(db, branches.conditions);
  try {
    return await db.transaction(async (tx) => {
      await tx.execute(sql.raw(`set local statement_timeout = ${Math.max(1, Math.floor(searchTuning.walkBudgetMs))}`));
      return read(tx as unknown as Db, branches.conditions);
    });
  } catch (error) {
    const code = (error as { code?: string; cause?: { code?: string } }).code ?? (error as { cause?: { code?: string } }).cause?.code;
    if (code !== QUERY_CANCELED) throw error;
    return read(db, branches.unwalked);
  }
}

/** The planner's estimate of a query's rows (EXPLAIN plans it; nothing is read). */
async function expectedRows(db: Db, query: SQL): Promise<number> {
  const [row] = rowsOf<Record<string, unknown>>(await db.execute(sql`explain (format json) ${query}`));
  const cell = Object.values(row)[0];
  const plan = (typeof cell === "string" ? JSON.parse(cell) : cell) as { Plan: { "Plan Rows": number } }[];
  return plan[0].Plan["Plan Rows"];
}

