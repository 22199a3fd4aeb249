// The agents' queue: four views with their counts, oldest first, so that the
// longest wait is answered first.
import { asc, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "@/db/client";
import { supportRequests, users, type SupportStatus } from "@/db/schema";
import { authorizeStaff } from "./authorize";
import { queueWhere, type QueueFilter } from "./queue-query";

export { parseQueueFilter, queueFilters, type QueueFilter } from "./queue-query";

export type QueueRow = {
  id: number;
  reference: string;
  email: string;
  name: string;
  status: SupportStatus;
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
    .where(queueWhere({ filter }, agent.id))
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
