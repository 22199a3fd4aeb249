// What the queue shows: a filter (open, mine, waiting, resolved), and later a
// topic and a search. One definition serves the page, its counts, "Take next"
// and a bulk answer to "all N matching", so the selection an agent confirms
// is exactly the rows the page described.
import { and, eq, ne, type SQL } from "drizzle-orm";
import { supportRequests } from "@/db/schema";

export const queueFilters = ["open", "mine", "waiting", "resolved"] as const;
export type QueueFilter = (typeof queueFilters)[number];

export function parseQueueFilter(value: unknown): QueueFilter {
  return queueFilters.includes(value as QueueFilter) ? (value as QueueFilter) : "open";
}

export type QueueQuery = {
  filter: QueueFilter;
};

/** The query from the page's search parameters; anything unknown falls back to the open queue. */
export function parseQueueQuery(params: Record<string, unknown>): QueueQuery {
  return { filter: parseQueueFilter(params.filter) };
}

/** The rows of support_requests the query selects, for the agent viewing it. */
export function queueWhere(query: QueueQuery, agentId: number): SQL | undefined {
  switch (query.filter) {
    case "open":
      return eq(supportRequests.status, "open");
    case "waiting":
      return eq(supportRequests.status, "waiting");
    case "resolved":
      return eq(supportRequests.status, "resolved");
    case "mine":
      return and(eq(supportRequests.assignedTo, agentId), ne(supportRequests.status, "resolved"));
  }
}
