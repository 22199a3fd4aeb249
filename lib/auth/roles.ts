import type { UserRole } from "@/db/schema";

const rank: Record<UserRole, number> = { customer: 0, agent: 1, admin: 2 };

/** Admins can do everything agents can, agents everything customers can (SPEC 1). */
export function hasRole(role: UserRole, needed: UserRole): boolean {
  return rank[role] >= rank[needed];
}

export type SessionUser = { id: number; email: string; name: string | null; role: UserRole };
