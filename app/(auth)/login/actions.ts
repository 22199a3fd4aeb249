"use server";
import { AuthError } from "next-auth";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { RateLimitedSignIn, signIn } from "@/lib/auth/config";
import { clientIp } from "@/lib/http/client-ip";
import { safeReturnTo } from "@/lib/http/return-to";
import { rateLimitedPath } from "@/lib/rate-limit";
import { recordAudit } from "@/lib/audit";
import { GENERIC_SIGN_IN_FAILURE } from "@/lib/auth/messages";

export type SignInState = { formError?: string; email?: string };

export async function signInAction(_prev: SignInState, formData: FormData): Promise<SignInState> {
  const email = String(formData.get("email") ?? "").slice(0, 320);
  const password = formData.get("password");
  const next = safeReturnTo(formData.get("next"));
  // The limits are counted inside (lib/auth/sign-in.ts, through authorize).
  try {
    await signIn("credentials", { email, password: typeof password === "string" ? password : "", redirect: false });
  } catch (error) {
    if (error instanceof RateLimitedSignIn) {
      const ip = clientIp(await headers());
      await recordAudit(await getDb(), { action: "rate_limit.exceeded", ip, detail: { policy: error.limit.policy } });
      redirect(rateLimitedPath(error.limit));
    }
    if (error instanceof AuthError && (error as { code?: string }).code === "busy") redirect("/busy?retry=2");
    if (error instanceof AuthError) return { formError: GENERIC_SIGN_IN_FAILURE, email: email.slice(0, 254) };
    throw error;
  }
  redirect(next);
}
