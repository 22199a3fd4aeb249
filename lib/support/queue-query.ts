// What the queue shows: a filter (open, mine, waiting, resolved), a topic and
// a search. One definition serves the page, its counts, "Take next" and a bulk
// answer to "all N matching", so the selection an agent confirms is exactly
// the rows the page described.
import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import { supportMessages, supportRequests } from "@/db/schema";
import { parseTopic, type Topic } from "./topics";

export const queueFilters = ["open", "mine", "waiting", "resolved"] as const;
export type QueueFilter = (typeof queueFilters)[number];

export function parseQueueFilter(value: unknown): QueueFilter {
  return queueFilters.includes(value as QueueFilter) ? (value as QueueFilter) : "open";
}

export type QueueQuery = {
  filter: QueueFilter;
  topic?: Topic;
  /** a search: a reference, a prefix of the customer's address, or words of any message */
  q?: string;
};

export const SEARCH_MAX_LENGTH = 200;
const REFERENCE = /^RD-[0-9A-HJKMNP-TV-Z]{8}$/i;
// Control characters never reach a query (SPEC 5.8); they are dropped, not refused, in a search box.
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/g;

/** A search as typed, cleaned: trimmed, one line, at most SEARCH_MAX_LENGTH characters; undefined when empty. */
export function parseSearch(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const cleaned = value.replace(CONTROL, " ").normalize("NFC").trim().slice(0, SEARCH_MAX_LENGTH).trim();
  return cleaned || undefined;
}

/** The query from the page's search parameters; anything unknown falls back to the open queue. */
export function parseQueueQuery(params: Record<string, unknown>): QueueQuery {
  const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);
  const topic = parseTopic(first(params.topic));
  const q = parseSearch(first(params.q));
  return { filter: parseQueueFilter(first(params.filter)), ...(topic ? { topic } : {}), ...(q ? { q } : {}) };
}

/** The query as URL search parameters (links between pages keep filter, topic and search). */
export function queueQueryParams(query: QueueQuery): URLSearchParams {
  const params = new URLSearchParams({ filter: query.filter });
  if (query.topic) params.set("topic", query.topic);
  if (query.q) params.set("q", query.q);
  return params;
}

/**
 * The full-text vector of a message: exactly the expression of the GIN index
 * support_messages_search_idx (migration 0006), or the index is not used.
 */
export const messageSearchVector = sql`to_tsvector('english', coalesce(${supportMessages.subject}, '') || ' ' || ${supportMessages.body})`;

/** LIKE pattern for "starts with", the wildcards in the value taken literally. */
export function prefixPattern(value: string): string {
  return `${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Request ids a search finds: the reference, a prefix of the customer's
 * address (an ordered range on the "C"-collated index), and the words of any
 * message (websearch syntax: quotes and "or" work, operators cannot break it).
 */
export function searchMatches(q: string): SQL {
  const lower = q.toLowerCase();
  const byReference = REFERENCE.test(q)
    ? sql`select ${supportRequests.id} from ${supportRequests} where ${supportRequests.reference} = ${q.toUpperCase()}`
    : null;
  const byAddress = sql`select ${supportRequests.id} from ${supportRequests}
    where (${supportRequests.email} collate "C") like ${prefixPattern(lower)}`;
  const byWords = sql`select ${supportMessages.requestId} from ${supportMessages}
    where ${messageSearchVector} @@ websearch_to_tsquery('english', ${q})`;
  return sql.join([byReference, byAddress, byWords].filter((part): part is SQL => part !== null), sql` union `);
}

/**
 * The same three matches as searchMatches, each as a condition on
 * support_requests, for queries that run them as separate branches: a page
 * of a search is the first rows of each branch, merged, so the planner can
 * pick for each its best plan, where one IN over the union must first
 * collect every match. `words.found`: the requests the words were found in,
 * when the caller looked them up first (lib/support/queue.ts does, for rare words).
 */
export function searchConditions(q: string, words: { found?: readonly number[] | null; asSet?: boolean } = {}): SQL[] {
  const conditions = [
    sql`(${supportRequests.email} collate "C") like ${prefixPattern(q.toLowerCase())}`,
    // The requests the words were found in when already looked up (a few); else a subquery the
    // planner may walk per request, or (asSet: "offset 0" keeps it from being pulled up) one it
    // must read whole through the GIN index first.
    words.found
      ? sql`${supportRequests.id} = any(${`{${words.found.join(",")}}`}::bigint[])`
      : sql`${supportRequests.id} in (select ${supportMessages.requestId} from ${supportMessages}
      where ${messageSearchVector} @@ websearch_to_tsquery('english', ${q})${words.asSet ? sql` offset 0` : sql``})`,
  ];
  return REFERENCE.test(q) ? [sql`${supportRequests.reference} = ${q.toUpperCase()}`, ...conditions] : conditions;
}

/** The rows of support_requests the query selects, for the agent viewing it. Merged requests are in no view. */
export function queueWhere(query: QueueQuery, agentId: number): SQL | undefined {
  const byFilter =
    query.filter === "mine"
      ? and(eq(supportRequests.assignedTo, agentId), inArray(supportRequests.status, ["open", "waiting"]))
      : eq(supportRequests.status, query.filter);
  return and(
    byFilter,
    query.topic ? eq(supportRequests.topic, query.topic) : undefined,
    query.q ? sql`${supportRequests.id} in (${searchMatches(query.q)})` : undefined,
  );
}
