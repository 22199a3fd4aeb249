// What a bulk answer is sent to: requests picked by checkbox (their ids), or
// "all N matching" a queue view (filter, topic, search) across every page,
// through the same queueWhere as the queue itself. The confirmation page
// fixes a moment (`asOf`, the newest message id then): a request's newest
// customer message at that moment is what the agent answered, and anything
// newer makes it stale (decision 0015).
import { and, asc, inArray, ne, sql, type SQL } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { supportRequests } from "@/db/schema";
import { authorizeStaff, parseId } from "../authorize";
import { parseQueueQuery, queueQueryParams, queueWhere, type QueueQuery } from "../queue-query";

/** Checkboxes on one page: at most a page or two; "all matching" has no limit. */
export const MAX_SELECTED_IDS = 500;

export type BulkSelection = { kind: "ids"; ids: number[] } | { kind: "query"; query: QueueQuery };

const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);

/**
 * The selection from the queue's bulk-select form (GET /support/bulk) or the
 * confirmation form: `all=1` with filter/topic/q, else `request` ids. Null when
 * nothing usable was selected.
 */
export function parseBulkSelection(params: Record<string, unknown>): BulkSelection | null {
  if (first(params.all) === "1") return { kind: "query", query: parseQueueQuery(params) };
  const raw = params.request;
  const values = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  if (values.length > MAX_SELECTED_IDS) return null;
  const ids = [...new Set(values.map(parseId))];
  if (ids.length === 0 || ids.some((id) => id === null)) return null;
  return { kind: "ids", ids: (ids as number[]).sort((a, b) => a - b) };
}

/** The selection as URL parameters (back to the confirmation page, links). */
export function selectionParams(selection: BulkSelection): URLSearchParams {
  if (selection.kind === "query") {
    const params = queueQueryParams(selection.query);
    params.set("all", "1");
    return params;
  }
  const params = new URLSearchParams();
  for (const id of selection.ids) params.append("request", String(id));
  return params;
}

/** The support_requests rows a selection names now; merged requests never. */
export function selectionWhere(selection: BulkSelection, agentId: number): SQL | undefined {
  if (selection.kind === "query") return queueWhere(selection.query, agentId);
  return and(inArray(supportRequests.id, selection.ids), ne(supportRequests.status, "merged"));
}

export type SelectionPreview = {
  count: number;
  /** the newest message id now: the moment the agent confirms against */
  asOf: number;
  /** the first few references, for the confirmation page */
  sample: { id: number; reference: string }[];
};

export async function previewSelection(db: Db, actorId: number, selection: BulkSelection): Promise<SelectionPreview> {
  const agent = await authorizeStaff(db, actorId);
  const where = selectionWhere(selection, agent.id);
  const [{ asOf }] = rowsOf<{ asOf: number | string }>(
    await db.execute(sql`select coalesce(max(id), 0)::int8 as "asOf" from support_messages`),
  );
  const [{ count }] = await db.select({ count: sql<number>`count(*)::int`.mapWith(Number) }).from(supportRequests).where(where);
  const sample = await db
    .select({ id: supportRequests.id, reference: supportRequests.reference })
    .from(supportRequests)
    .where(where)
    .orderBy(asc(supportRequests.createdAt), asc(supportRequests.id))
    .limit(5);
  return { count, asOf: Number(asOf), sample };
}

/** How the targets were chosen, for the job's record and its page. */
export function describeSelection(selection: BulkSelection): string {
  if (selection.kind === "ids") return `${selection.ids.length} selected request${selection.ids.length === 1 ? "" : "s"}`;
  const { filter, topic, q } = selection.query;
  return [`all matching the ${filter} view`, topic ? `topic ${topic}` : null, q ? `search "${q}"` : null].filter(Boolean).join(", ");
}
