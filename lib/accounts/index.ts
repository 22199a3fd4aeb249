// Accounts: creation and lookup. Nothing that leaves this module carries a
// password hash.
import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users, userRoles, type UserRole } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { env } from "@/lib/env";
import { hashPassword, newPasswordProblems } from "@/lib/passwords";
import { emailSchema } from "./email";

export { normalizeEmail, emailSchema, maskEmail } from "./email";

export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}

export type UpsertUserInput = {
  email: string;
  role: string;
  name?: string;
  password?: string;
  actorId?: number | null;
};

export type UpsertUserResult = { id: number; created: boolean; expired: boolean };

/**
 * Creates or updates an account. Without a password a new account starts
 * expired (it must set one through a reset link).
 */
export async function upsertUser(db: Db, input: UpsertUserInput): Promise<UpsertUserResult> {
  const parsedEmail = emailSchema.safeParse(input.email);
  if (!parsedEmail.success) throw new InputError(`Invalid email: ${parsedEmail.error.issues[0].message}`);
  const email = parsedEmail.data;
  if (!userRoles.includes(input.role as UserRole)) {
    throw new InputError(`Unknown role "${input.role}": use one of ${userRoles.join(", ")}.`);
  }
  const role = input.role as UserRole;
  const name = input.name?.trim() || null;
  if (name && name.length > 200) throw new InputError("A name has at most 200 characters.");
  let passwordHash: string | null = null;
  if (input.password !== undefined) {
    const problems = newPasswordProblems(input.password, env().PASSWORD_MIN_LENGTH, {
      email,
      brandName: env().BRAND_NAME,
    });
    if (problems.password) throw new InputError(`Password refused: ${problems.password.join(" ")}`);
    passwordHash = await hashPassword(input.password.normalize("NFKC"));
  }
  const now = new Date();
  return db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: users.id })
      .from(users)
      .where(eq(users.email, email))
      .for("update");
    if (existing) {
      await tx
        .update(users)
        .set({
          role,
          ...(name ? { name } : {}),
          ...(passwordHash
            ? {
                passwordHash,
                passwordChangedAt: now,
                passwordExpiredAt: null,
                sessionVersion: sql`${users.sessionVersion} + 1`,
              }
            : {}),
        })
        .where(eq(users.id, existing.id));
      await recordAudit(tx, {
        action: "user.updated",
        actorId: input.actorId,
        subjectId: existing.id,
        detail: { role, changedCredential: Boolean(passwordHash) },
      });
      const [row] = await tx
        .select({ expiredAt: users.passwordExpiredAt })
        .from(users)
        .where(eq(users.id, existing.id));
      return { id: existing.id, created: false, expired: row.expiredAt !== null };
    }
    const [created] = await tx
      .insert(users)
      .values({
        email,
        role,
        name,
        passwordHash,
        passwordChangedAt: passwordHash ? now : null,
        passwordExpiredAt: passwordHash ? null : now,
      })
      .returning({ id: users.id });
    await recordAudit(tx, {
      action: "user.created",
      actorId: input.actorId,
      subjectId: created.id,
      detail: { role, startsExpired: !passwordHash },
    });
    return { id: created.id, created: true, expired: !passwordHash };
  });
}

export type PublicUser = {
  id: number;
  email: string;
  name: string | null;
  role: UserRole;
  passwordChangedAt: Date | null;
  passwordExpiredAt: Date | null;
  disabledAt: Date | null;
  createdAt: Date;
};

export const publicUserColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  passwordChangedAt: users.passwordChangedAt,
  passwordExpiredAt: users.passwordExpiredAt,
  disabledAt: users.disabledAt,
  createdAt: users.createdAt,
};

export async function findUserByEmail(db: Db, email: string): Promise<PublicUser | undefined> {
  const parsed = emailSchema.safeParse(email);
  if (!parsed.success) return undefined;
  const [row] = await db.select(publicUserColumns).from(users).where(eq(users.email, parsed.data));
  return row;
}

export async function findUserById(db: Db, id: number): Promise<PublicUser | undefined> {
  if (!Number.isSafeInteger(id) || id <= 0) return undefined;
  const [row] = await db.select(publicUserColumns).from(users).where(eq(users.id, id));
  return row;
}
