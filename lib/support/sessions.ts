// A customer's sessions as agents see them: how many are live, and one button
// to end them all (audited). Never a session id, device or address list.
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import { env } from "@/lib/env";
import { countLiveSessions, endSessionsExcept } from "@/lib/sessions";
import { authorizeStaff } from "./authorize";
import { mayView } from "./customers";

async function customerFor(db: Db, actorId: number, customerId: number) {
  const agent = await authorizeStaff(db, actorId);
  const [customer] = await db.select({ id: users.id, role: users.role }).from(users).where(eq(users.id, customerId));
  return customer && mayView(agent, customer) ? { agent, customer } : null;
}

export async function liveSessionCount(db: Db, actorId: number, customerId: number): Promise<number | null> {
  const found = await customerFor(db, actorId, customerId);
  return found ? countLiveSessions(db, found.customer.id, env().SESSION_IDLE_MINUTES) : null;
}

export type EndAllResult = { ok: true; message: string } | { ok: false; error: string };

export async function endCustomerSessionsFromAgent(db: Db, actorId: number, customerId: number, ip: string | null): Promise<EndAllResult> {
  const found = await customerFor(db, actorId, customerId);
  if (!found) return { ok: false, error: "That account does not exist." };
  const ended = await endSessionsExcept(db, null, { userId: found.customer.id, actorId: found.agent.id, ip, reason: "ended_by_staff" });
  return { ok: true, message: ended === 1 ? "1 session was ended." : `${ended} sessions were ended.` };
}
