// The reset flows of SPEC 4.4–4.6: sending a link to the address on file, and
// setting a new password from a link.
import { eq, sql } from "drizzle-orm";
import { createElement } from "react";
import type { Db } from "@/db/client";
import { users, type ResetPurpose } from "@/db/schema";
import { emailSchema } from "@/lib/accounts/email";
import { recordAudit } from "@/lib/audit";
import { sendEmail, slotted } from "@/lib/email";
import { durationText, emailBrand } from "@/lib/email/brand";
import { env } from "@/lib/env";
import { hashPassword, newPasswordProblems, normalizePassword, verifyPassword } from "@/lib/passwords";
import PasswordChangedEmail, { passwordChangedSubject } from "@/emails/password-changed";
import ResetLinkEmail, { resetLinkSubject } from "@/emails/reset-link";
import { checkResetToken, issueResetLink, lifetimeMs, markLinkUsed, revokeAllLinks } from "./index";

/** Issues a link and emails it to the account's address on file. */
export async function sendResetLinkToAccount(
  db: Db,
  input: { userId: number; purpose: ResetPurpose; createdBy?: number | null; ip?: string | null },
): Promise<{ sent: boolean }> {
  const [user] = await db
    .select({ email: users.email, disabledAt: users.disabledAt })
    .from(users)
    .where(eq(users.id, input.userId));
  if (!user || user.disabledAt) return { sent: false };
  const link = await issueResetLink(db, input);
  const brand = emailBrand();
  const expiresInText = durationText(lifetimeMs(input.purpose));
  const requestedBy = input.purpose === "agent" ? "agent" : "you";
  await sendEmail(db, {
    to: user.email,
    subject: resetLinkSubject(brand),
    kind: input.purpose === "agent" ? "reset_link_agent" : "reset_link",
    userId: input.userId,
    template: slotted(
      "reset-link",
      { brand, expiresInText, requestedBy },
      { url: link.url },
      ({ url }) => createElement(ResetLinkEmail, { brand, url, expiresInText, requestedBy }),
    ),
  });
  return { sent: true };
}

/**
 * "Forgot your password?": the caller answers the same whatever happens here
 * (and runs this after answering), so nothing tells accounts apart.
 */
export async function requestSelfServiceLink(db: Db, rawEmail: string, ip: string | null): Promise<void> {
  const parsed = emailSchema.safeParse(rawEmail);
  if (!parsed.success) return;
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.email, parsed.data));
  await recordAudit(db, { action: "reset_link.requested", subjectId: user?.id ?? null, ip, detail: { known: Boolean(user) } });
  if (user) await sendResetLinkToAccount(db, { userId: user.id, purpose: "self_service", ip });
}

export type ResetResult =
  | { ok: true }
  | { ok: false; invalidLink: true }
  | { ok: false; fieldErrors: { password?: string[]; confirm?: string[] } };

/** SPEC 4.6: in one transaction the new hash, expiry cleared, sessions ended, links dead, audit. */
export async function resetPasswordWithToken(
  db: Db,
  input: { token: unknown; password: string; confirm: string; ip: string | null },
): Promise<ResetResult> {
  const check = await checkResetToken(db, input.token);
  if (check.status !== "valid") return { ok: false, invalidLink: true };

  const password = normalizePassword(input.password);
  const problems = newPasswordProblems(input.password, env().PASSWORD_MIN_LENGTH, {
    email: check.email,
    brandName: env().BRAND_NAME,
  });
  if (problems.password) return { ok: false, fieldErrors: problems };
  if (input.password !== input.confirm) {
    return { ok: false, fieldErrors: { confirm: ["The two passwords do not match."] } };
  }
  const [current] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, check.userId));
  if (current?.hash && (await verifyPassword(current.hash, password))) {
    return {
      ok: false,
      fieldErrors: { password: ["This is your current password, which may have been stolen. Choose a new one."] },
    };
  }
  const newHash = await hashPassword(password);
  const now = new Date();
  const changed = await db.transaction(async (tx) => {
    if (!(await markLinkUsed(tx, check.tokenId, now))) return false;
    await tx
      .update(users)
      .set({
        passwordHash: newHash,
        passwordChangedAt: now,
        passwordExpiredAt: null,
        sessionVersion: sql`${users.sessionVersion} + 1`,
      })
      .where(eq(users.id, check.userId));
    await revokeAllLinks(tx, check.userId, now);
    await recordAudit(tx, { action: "reset_link.used", subjectId: check.userId, ip: input.ip, detail: { purpose: check.purpose } });
    await recordAudit(tx, { action: "password.changed", subjectId: check.userId, actorId: check.userId, ip: input.ip });
    return true;
  });
  if (!changed) return { ok: false, invalidLink: true };

  const brand = emailBrand();
  await sendEmail(db, {
    to: check.email,
    subject: passwordChangedSubject,
    kind: "password_changed",
    userId: check.userId,
    template: slotted("password-changed", { brand }, { changedAtText: now.toUTCString() }, ({ changedAtText }) =>
      createElement(PasswordChangedEmail, { brand, changedAtText }),
    ),
  }).catch((error) => {
    // The password did change; a failed notification must not undo or hide that.
    console.error(`[email] password-changed notice failed: ${(error as Error).message}`);
  });
  return { ok: true };
}
