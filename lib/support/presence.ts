// Who else has a request open: each view of a request page notes the agent
// and the time (at most one write per agent and request every 30 seconds),
// and the page names the other agents seen in the last few minutes.
import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { authorizeStaff } from "./authorize";

export const PRESENCE_MINUTES = 5;
export const PRESENCE_WRITE_SECONDS = 30;

export type Viewer = { email: string; minutesAgo: number };

/** Records this agent's view of the request and returns the other agents who viewed it recently, latest first. */
export async function viewRequest(db: Db, actorId: number, requestId: number): Promise<Viewer[]> {
  const agent = await authorizeStaff(db, actorId);
  // Times from the database clock, so that instances with skewed clocks agree.
  const others = rowsOf<{ email: string; minutes: number | string }>(
    await db.execute(sql`
      select u.email, floor(extract(epoch from now() - v.seen_at) / 60)::int as minutes
      from support_request_views v join users u on u.id = v.agent_id
      where v.request_id = ${requestId} and v.agent_id <> ${agent.id}
        and v.seen_at > now() - make_interval(mins => ${PRESENCE_MINUTES})
      order by v.seen_at desc limit 10`),
  );
  await db.execute(sql`
    insert into support_request_views (request_id, agent_id, seen_at) values (${requestId}, ${agent.id}, now())
    on conflict (request_id, agent_id) do update set seen_at = excluded.seen_at
    where support_request_views.seen_at < now() - make_interval(secs => ${PRESENCE_WRITE_SECONDS})`);
  return others.map((o) => ({ email: o.email, minutesAgo: Math.max(0, Number(o.minutes)) }));
}

/** "Also open: a@x, 3 minutes ago; b@y, just now" */
export function presenceText(viewers: readonly Viewer[]): string | null {
  if (viewers.length === 0) return null;
  const ago = (m: number) => (m < 1 ? "just now" : m === 1 ? "1 minute ago" : `${m} minutes ago`);
  return `Also open: ${viewers.map((v) => `${v.email}, ${ago(v.minutesAgo)}`).join("; ")}`;
}
