// The agents' queue: four views (open, mine, waiting, resolved), each by topic
// and search, oldest first so the longest wait is answered first. Pages go by
// keyset on (created_at, id), so a page never shifts when requests arrive;
// counts come from the trigger-kept counters (migration 0007), never from
// counting rows; "Take next" hands out the oldest unclaimed request of a view
// with FOR UPDATE SKIP LOCKED, so two agents at the same moment get two.
import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { rowsOf, type Db } from "@/db/client";
import { supportRequests, users, type SupportStatus } from "@/db/schema";
import { readCounters } from "@/lib/campaigns/counters";
import { authorizeStaff } from "./authorize";
import { queueFilters, queueWhere, type QueueFilter, type QueueQuery } from "./queue-query";
import { branchesOf, withinBudget } from "./queue-search";
import { topicKeys, type Topic } from "./topics";

export { parseQueueFilter, queueFilters, type QueueFilter } from "./queue-query";
export { searchTuning } from "./queue-search";

export const QUEUE_PAGE_SIZE = 50;
/** A search's count is exact up to this many requests, then "more than". */
export const MATCHING_CAP = 1000;

export type QueueRow = {
  id: number;
  reference: string;
  email: string;
  name: string;
  status: SupportStatus;
  topic: Topic;
  channel: "web" | "email";
  assignedTo: number | null;
  assigneeEmail: string | null;
  createdAt: Date;
  updatedAt: Date;
};

export type QueueCounts = Record<QueueFilter, number>;

/** Where a page starts: after or before the request with this id (in the view's order), or the first page. */
export type QueueCursor = { after?: number; before?: number };

export type QueueRows = {
  rows: QueueRow[];
  /** the id to pass as `after` for the next page, or null on the last page */
  next: number | null;
  /** the id to pass as `before` for the previous page, or null on the first page */
  previous: number | null;
};

export type QueueView = QueueRows & {
  query: QueueQuery;
  /** per filter, within the chosen topic when there is one */
  counts: QueueCounts;
  /** per topic, within the chosen filter; `all` is the filter over every topic */
  topicCounts: Record<Topic, number> & { all: number };
  /** how many requests the view selects: exact unless `more` (a search counts up to MATCHING_CAP) */
  matching: { count: number; more: boolean };
};

const asQuery = (view: QueueQuery | QueueFilter): QueueQuery => (typeof view === "string" ? { filter: view } : view);

const assignee = alias(users, "assignee");
const rowColumns = {
  id: supportRequests.id,
  reference: supportRequests.reference,
  email: supportRequests.email,
  name: supportRequests.name,
  status: supportRequests.status,
  topic: supportRequests.topic,
  channel: supportRequests.channel,
  assignedTo: supportRequests.assignedTo,
  assigneeEmail: assignee.email,
  createdAt: supportRequests.createdAt,
  updatedAt: supportRequests.updatedAt,
};

// The cursor request's created_at is read in the database, at full
// (microsecond) precision: a JavaScript Date would round it and repeat or skip rows.
function keyset(direction: ">" | "<", id: number): SQL {
  const at = sql`(select c.created_at from support_requests c where c.id = ${id})`;
  return sql`(${supportRequests.createdAt}, ${supportRequests.id}) ${sql.raw(direction)} (${at}, ${id}::bigint)`;
}

async function pageOf(db: Db, branches: SQL[], cursor: QueueCursor, limit: number): Promise<QueueRows> {
  // (branches: the conditions of one way of running the view, see branchesOf)
  const rowsWhere = (where: SQL | undefined, backwards: boolean) =>
    db
      .select(rowColumns)
      .from(supportRequests)
      .leftJoin(assignee, eq(assignee.id, supportRequests.assignedTo))
      .where(where)
      .orderBy(
        ...(backwards
          ? [desc(supportRequests.createdAt), desc(supportRequests.id)]
          : [asc(supportRequests.createdAt), asc(supportRequests.id)]),
      )
      .limit(limit + 1);
  const select = async (extra: SQL | undefined, backwards: boolean) => {
    if (branches.length === 1) return rowsWhere(and(branches[0], extra), backwards);
    // Each branch's first rows in page order, merged: the page's ids; then their rows.
    const order = sql.raw(backwards ? "desc" : "asc");
    const parts = branches.map(
      (where) => sql`(select ${supportRequests.id} as id, ${supportRequests.createdAt} as created_at from ${supportRequests}
        where ${and(where, extra)} order by ${supportRequests.createdAt} ${order}, ${supportRequests.id} ${order} limit ${limit + 1})`,
    );
    const ids = rowsOf<{ id: number | string }>(
      await db.execute(sql`select id from (${sql.join(parts, sql` union `)}) s order by created_at ${order}, id ${order} limit ${limit + 1}`),
    ).map((r) => Number(r.id));
    return ids.length === 0 ? [] : rowsWhere(inArray(supportRequests.id, ids), backwards);
  };

  if (cursor.before) {
    const found = await select(keyset("<", cursor.before), true);
    // Fewer than a page before the cursor: that is the start, shown as the first page.
    if (found.length > limit) {
      const rows = found.slice(0, limit).reverse();
      return { rows, previous: rows[0].id, next: rows[rows.length - 1].id };
    }
  }
  const found = await select(cursor.after ? keyset(">", cursor.after) : undefined, false);
  const rows = found.slice(0, limit);
  return {
    rows,
    next: found.length > limit ? rows[rows.length - 1].id : null,
    previous: cursor.after && rows.length > 0 ? rows[0].id : null,
  };
}

/** One page of a view, oldest first. */
export async function queueRows(
  db: Db,
  actorId: number,
  view: QueueQuery | QueueFilter,
  cursor: QueueCursor = {},
  limit = QUEUE_PAGE_SIZE,
): Promise<QueueRows> {
  // The check and the read go out together (one round trip of waiting, not two);
  // nothing read leaves here unless the check passed.
  const [, page] = await Promise.all([
    authorizeStaff(db, actorId),
    branchesOf(db, asQuery(view), actorId).then((branches) =>
      withinBudget(db, branches, (on, conditions) => pageOf(on, conditions, cursor, Math.min(Math.max(limit, 1), 200))),
    ),
  ]);
  return page;
}

function filterMetric(filter: QueueFilter, agentId: number, topic?: Topic): string {
  const base = filter === "mine" ? `queue:mine:${agentId}` : `queue:${filter}`;
  return topic ? `${base}:${topic}` : base;
}

async function countsOf(db: Db, agentId: number, query: QueueQuery): Promise<Pick<QueueView, "counts" | "topicCounts">> {
  const perFilter = queueFilters.map((f) => filterMetric(f, agentId, query.topic));
  const perTopic = topicKeys.map((t) => filterMetric(query.filter, agentId, t));
  const all = filterMetric(query.filter, agentId);
  const values = await readCounters(db, [...new Set([...perFilter, ...perTopic, all])]);
  const counts = Object.fromEntries(queueFilters.map((f, i) => [f, values[perFilter[i]]])) as QueueCounts;
  const topicCounts = {
    ...(Object.fromEntries(topicKeys.map((t, i) => [t, values[perTopic[i]]])) as Record<Topic, number>),
    all: values[all],
  };
  return { counts, topicCounts };
}

/** The counts a view shows, read from the counters in one query. */
export async function queueCounts(
  db: Db,
  actorId: number,
  view: QueueQuery | QueueFilter,
): Promise<Pick<QueueView, "counts" | "topicCounts">> {
  // As in queueRows: checked and read at once, returned only once checked.
  const [, counted] = await Promise.all([authorizeStaff(db, actorId), countsOf(db, actorId, asQuery(view))]);
  return counted;
}

async function countOf(db: Db, branches: SQL[], cap: number): Promise<{ count: number; more: boolean }> {
  // Each branch stops after cap + 1: a branch that reaches it makes the union pass the cap too,
  // and when none does, the union is exact.
  const parts = branches.map((where) => sql`(select ${supportRequests.id} from ${supportRequests} where ${where} limit ${cap + 1})`);
  const [row] = rowsOf<{ n: number | string }>(await db.execute(sql`select count(*)::int as n from (${sql.join(parts, sql` union `)}) s`));
  const n = Number(row.n);
  return n > cap ? { count: cap, more: true } : { count: n, more: false };
}

/** How many requests a search selects, counted up to `cap` (through the same indexes as its pages). */
export async function searchCount(
  db: Db,
  actorId: number,
  query: QueueQuery,
  cap = MATCHING_CAP,
): Promise<{ count: number; more: boolean }> {
  // As in queueRows: checked and counted at once, returned only once checked.
  const [, counted] = await Promise.all([
    authorizeStaff(db, actorId),
    branchesOf(db, query, actorId).then((branches) => withinBudget(db, branches, (on, conditions) => countOf(on, conditions, cap))),
  ]);
  return counted;
}

/** Everything the queue page shows for a view: a page of rows, its counts and how many it matches. */
export async function listQueue(
  db: Db,
  actorId: number,
  view: QueueQuery | QueueFilter,
  cursor: QueueCursor = {},
  limit = QUEUE_PAGE_SIZE,
): Promise<QueueView> {
  const query = asQuery(view);
  // One check and one look-up of the words serve the page and its count.
  const [, { counts, topicCounts }, branches] = await Promise.all([
    authorizeStaff(db, actorId),
    countsOf(db, actorId, query),
    branchesOf(db, query, actorId),
  ]);
  const [page, matching] = await Promise.all([
    withinBudget(db, branches, (on, conditions) => pageOf(on, conditions, cursor, Math.min(Math.max(limit, 1), 200))),
    query.q
      ? withinBudget(db, branches, (on, conditions) => countOf(on, conditions, MATCHING_CAP))
      : { count: query.topic ? topicCounts[query.topic] : topicCounts.all, more: false },
  ]);
  return { ...page, query, counts, topicCounts, matching };
}

/** The status "Take next" hands out in a view: waiting in the waiting view, else open. */
export function takeNextStatus(filter: QueueFilter): "open" | "waiting" {
  return filter === "waiting" ? "waiting" : "open";
}

export type TakeNextResult = { ok: true; requestId: number; reference: string } | { ok: false; code: "none-left" };

/**
 * Assigns the oldest unclaimed request of the view (its topic and search; the
 * open requests for "mine" and "resolved") to the agent. Rows another agent is
 * taking at this moment are skipped, not waited for, so concurrent presses
 * each get a different request and none blocks.
 */
export async function takeNext(db: Db, actorId: number, view: QueueQuery, ip?: string): Promise<TakeNextResult> {
  const agent = await authorizeStaff(db, actorId);
  const where = and(queueWhere({ ...view, filter: takeNextStatus(view.filter) }, agent.id), isNull(supportRequests.assignedTo));
  const oldest = db
    .select({ id: supportRequests.id })
    .from(supportRequests)
    .where(where)
    .orderBy(asc(supportRequests.createdAt), asc(supportRequests.id))
    .limit(1)
    .for("update", { skipLocked: true });
  // One statement, so one round trip and atomic by itself: the claim and its
  // audit event (the same row recordAudit writes for a claim) commit together.
  const [taken] = rowsOf<{ id: number | string; reference: string }>(
    await db.execute(sql`
      with taken as (
        update support_requests set assigned_to = ${agent.id}, updated_at = now()
        where id = (${oldest}) and assigned_to is null
        returning id, reference, user_id),
      audited as (
        insert into audit_events (action, actor_id, subject_id, ip, detail)
        select 'support.claimed', ${agent.id}, user_id, ${ip ?? null},
          jsonb_build_object('requestId', id, 'reference', reference, 'via', 'take-next')
        from taken)
      select id, reference from taken`),
  );
  if (!taken) return { ok: false, code: "none-left" };
  return { ok: true, requestId: Number(taken.id), reference: taken.reference };
}
