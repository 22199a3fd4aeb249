// Checking an email and password (SPEC 4.2). An expired password never
// authenticates, right or wrong: the stolen hash may have been cracked. Every
// path costs one Argon2 verify, so timing does not tell accounts apart.
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users, type UserRole } from "@/db/schema";
import { emailSchema } from "@/lib/accounts/email";
import { recordAudit } from "@/lib/audit";
import { hashPassword, needsRehash, normalizePassword, verifyAgainstDummy, verifyPassword } from "@/lib/passwords";
import { PASSWORD_MAX_LENGTH } from "@/lib/passwords/policy";

export type AuthenticatedUser = {
  id: number;
  email: string;
  name: string | null;
  role: UserRole;
  sessionVersion: number;
};

export type AuthenticationResult = { ok: true; user: AuthenticatedUser } | { ok: false };

export async function authenticate(
  db: Db,
  rawEmail: unknown,
  rawPassword: unknown,
  ip: string | null,
): Promise<AuthenticationResult> {
  const parsed = emailSchema.safeParse(rawEmail);
  const password = typeof rawPassword === "string" ? normalizePassword(rawPassword) : "";
  // Absurd input is refused without hashing it (never truncated, never hashed at 1 MB).
  if (!parsed.success || password.length === 0 || Array.from(password).length > PASSWORD_MAX_LENGTH) {
    await verifyAgainstDummy("x");
    return { ok: false };
  }
  const [row] = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      passwordHash: users.passwordHash,
      passwordExpiredAt: users.passwordExpiredAt,
      disabledAt: users.disabledAt,
      sessionVersion: users.sessionVersion,
    })
    .from(users)
    .where(eq(users.email, parsed.data));

  if (!row || !row.passwordHash) {
    await verifyAgainstDummy(password);
    await recordAudit(db, { action: "sign_in.failure", subjectId: row?.id ?? null, ip, detail: { reason: "unknown" } });
    return { ok: false };
  }
  const matches = await verifyPassword(row.passwordHash, password);
  if (!matches || row.passwordExpiredAt || row.disabledAt) {
    const reason = row.passwordExpiredAt ? "expired" : row.disabledAt ? "disabled" : "wrong_password";
    await recordAudit(db, { action: "sign_in.failure", subjectId: row.id, ip, detail: { reason } });
    return { ok: false };
  }
  if (needsRehash(row.passwordHash)) {
    const upgraded = await hashPassword(password);
    await db.update(users).set({ passwordHash: upgraded }).where(eq(users.id, row.id));
    await recordAudit(db, { action: "sign_in.rehashed", subjectId: row.id, actorId: row.id, ip });
  }
  await recordAudit(db, { action: "sign_in.success", subjectId: row.id, actorId: row.id, ip });
  return {
    ok: true,
    user: { id: row.id, email: row.email, name: row.name, role: row.role, sessionVersion: row.sessionVersion },
  };
}
