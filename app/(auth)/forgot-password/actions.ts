"use server";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { after } from "next/server";
import { getDb } from "@/db/client";
import { emailSchema } from "@/lib/accounts/email";
import { recordAudit } from "@/lib/audit";
import { clientIp } from "@/lib/http/client-ip";
import { assertRateLimitsInTurn, RateLimitedError, rateLimitedPath } from "@/lib/rate-limit";
import { requestSelfServiceLink } from "@/lib/reset-links/flows";

export type ForgotState = { sent?: boolean; fieldErrors?: { email?: string }; email?: string };

export async function requestResetLinkAction(_prev: ForgotState, formData: FormData): Promise<ForgotState> {
  const raw = formData.get("email");
  const parsed = emailSchema.safeParse(typeof raw === "string" ? raw : "");
  if (!parsed.success) {
    return { fieldErrors: { email: parsed.error.issues[0].message } };
  }
  const ip = clientIp(await headers());
  const db = await getDb();
  try {
    // Address first: one address asked for again and again does not use up its IP's budget.
    await assertRateLimitsInTurn(db, [
      ["reset-link:address", parsed.data],
      ["reset-link:ip", ip],
    ]);
  } catch (error) {
    if (!(error instanceof RateLimitedError)) throw error;
    await recordAudit(db, { action: "rate_limit.exceeded", ip, detail: { policy: error.policy } });
    redirect(rateLimitedPath(error));
  }
  // The answer never waits on whether the account exists: the lookup and the
  // email happen after the response (SPEC 4.4, 5.1).
  after(() =>
    requestSelfServiceLink(db, parsed.data, ip).catch((error) =>
      console.error(`[reset] link request failed: ${(error as Error).message}`),
    ),
  );
  return { sent: true, email: parsed.data };
}
