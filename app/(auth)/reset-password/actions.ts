"use server";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { clientIp } from "@/lib/http/client-ip";
import { OverloadedError } from "@/lib/passwords";
import { assertRateLimitsInTurn, RateLimitedError, rateLimitedPath } from "@/lib/rate-limit";
import { checkResetToken } from "@/lib/reset-links";
import { resetCookieName, resetCookieOptions } from "@/lib/reset-links/cookie";
import { resetPasswordWithToken, sendResetLinkToAccount } from "@/lib/reset-links/flows";

export type ResetState = {
  fieldErrors?: { password?: string[]; confirm?: string[] };
  formError?: string;
};

const MAX_FIELD = 4096; // far above 128 code points; beyond it, refused without hashing

export async function setNewPasswordAction(_prev: ResetState, formData: FormData): Promise<ResetState> {
  const password = formData.get("password");
  const confirm = formData.get("confirm");
  if (typeof password !== "string" || typeof confirm !== "string") {
    return { formError: "Enter your new password twice." };
  }
  if (password.length > MAX_FIELD || confirm.length > MAX_FIELD) {
    return { fieldErrors: { password: ["Use at most 128 characters."] } };
  }
  const jar = await cookies();
  const token = jar.get(resetCookieName())?.value;
  const db = await getDb();
  let result;
  try {
    result = await resetPasswordWithToken(db, { token, password, confirm, ip: clientIp(await headers()) });
  } catch (error) {
    if (error instanceof OverloadedError) redirect(`/busy?retry=${error.retryAfterSeconds}`);
    throw error;
  }
  if (result.ok) {
    jar.set(resetCookieName(), "", { ...resetCookieOptions(), maxAge: 0 });
    redirect("/login?changed=1");
  }
  if ("invalidLink" in result) redirect("/reset-password");
  return { fieldErrors: result.fieldErrors };
}

export type NewLinkState = { sent?: boolean };

/** "Send me a new link": only for a genuine link that expired, to the same address on file. */
export async function sendNewLinkAction(): Promise<NewLinkState> {
  const jar = await cookies();
  const db = await getDb();
  const check = await checkResetToken(db, jar.get(resetCookieName())?.value);
  if (check.status !== "expired") redirect("/reset-password");
  const ip = clientIp(await headers());
  try {
    // Address first: one address asked for again and again does not use up its IP's budget.
    await assertRateLimitsInTurn(db, [
      ["reset-link:address", check.email],
      ["reset-link:ip", ip],
    ]);
  } catch (error) {
    if (error instanceof RateLimitedError) redirect(rateLimitedPath(error));
    throw error;
  }
  await sendResetLinkToAccount(db, { userId: check.userId, purpose: check.purpose, ip });
  jar.set(resetCookieName(), "", { ...resetCookieOptions(), maxAge: 0 });
  return { sent: true };
}
