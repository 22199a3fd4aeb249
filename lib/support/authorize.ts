// Every support-desk function starts here: the acting account is re-read from
// the database (role, disabled, expired), so a stale session or a forged id
// can never act as an agent. Pages and actions check the session first
// (requireRole / requireRoleForAction); this is the check where data is touched.
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users, type UserRole } from "@/db/schema";
import { AuthorizationError } from "@/lib/auth/guards";
import { hasRole } from "@/lib/auth/roles";

export type Staff = { id: number; email: string; role: UserRole };

export async function authorizeStaff(db: Db, actorId: number, needed: "agent" | "admin" = "agent"): Promise<Staff> {
  if (!Number.isSafeInteger(actorId) || actorId <= 0) throw new AuthorizationError(401, "Sign in first.");
  const [row] = await db
    .select({
      id: users.id,
      email: users.email,
      role: users.role,
      disabledAt: users.disabledAt,
      expiredAt: users.passwordExpiredAt,
    })
    .from(users)
    .where(eq(users.id, actorId));
  if (!row || row.disabledAt || row.expiredAt || !hasRole(row.role, needed)) {
    throw new AuthorizationError(403, "You do not have access to this.");
  }
  return { id: row.id, email: row.email, role: row.role };
}

/** Parses an id from a route or form: a positive safe integer, or null. */
export function parseId(value: unknown): number | null {
  const text = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : "";
  if (!/^[1-9][0-9]{0,15}$/.test(text)) return null;
  const id = Number(text);
  return Number.isSafeInteger(id) ? id : null;
}
