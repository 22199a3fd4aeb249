// The agents' queue: four views with their counts, oldest first, so that the
// longest wait is answered first.
import { and, asc, eq, ne, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "@/db/client";
import { supportRequests, users } from "@/db/schema";
import { authorizeStaff } from "./authorize";

export const queueFilters = ["open", "mine", "waiting", "resolved"] as const;
export type QueueFilter = (typeof queueFilters)[number];

export function parseQueueFilter(value: unknown): QueueFilter {
  return queueFilters.includes(value as QueueFilter) ? (value as QueueFilter) : "open";
}

function condition(filter: QueueFilter, agentId: number): SQL | undefined {
  switch (filter) {
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

export type QueueRow = {
  id: number;
  reference: string;
  email: string;
  name: string;
  status: "open" | "waiting" | "resolved";
  channel: "web" | "email";
  assignedTo: number | null;
  assigneeEmail: string | null;
  createdAt: Date;
  updatedAt: Date;
};

export type QueueCounts = Record<QueueFilter, number>;

export async function listQueue(
  db: Db,
  actorId: number,
  filter: QueueFilter,
  limit = 100,
): Promise<{ rows: QueueRow[]; counts: QueueCounts }> {
  const agent = await authorizeStaff(db, actorId);
  const assignee = alias(users, "assignee");
  const rows = await db
    .select({
      id: supportRequests.id,
      reference: supportRequests.reference,
      email: supportRequests.email,
      name: supportRequests.name,
      status: supportRequests.status,
      channel: supportRequests.channel,
      assignedTo: supportRequests.assignedTo,
      assigneeEmail: assignee.email,
      createdAt: supportRequests.createdAt,
      updatedAt: supportRequests.updatedAt,
    })
    .from(supportRequests)
    .leftJoin(assignee, eq(assignee.id, supportRequests.assignedTo))
    .where(condition(filter, agent.id))
    .orderBy(asc(supportRequests.createdAt), asc(supportRequests.id))
    .limit(Math.min(Math.max(limit, 1), 500));
  const [counts] = await db
    .select({
      open: sql<number>`count(*) filter (where ${supportRequests.status} = 'open')`.mapWith(Number),
      waiting: sql<number>`count(*) filter (where ${supportRequests.status} = 'waiting')`.mapWith(Number),
      resolved: sql<number>`count(*) filter (where ${supportRequests.status} = 'resolved')`.mapWith(Number),
      mine: sql<number>`count(*) filter (where ${supportRequests.assignedTo} = ${agent.id} and ${supportRequests.status} <> 'resolved')`.mapWith(
        Number,
      ),
    })
    .from(supportRequests);
  return { rows, counts };
}
