"use server";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { currentSession } from "@/lib/auth/guards";
import { clientIp } from "@/lib/http/client-ip";
import { assertRateLimitsInTurn, RateLimitedError, rateLimitedPath } from "@/lib/rate-limit";
import { sendResetLinkToAccount } from "@/lib/reset-links/flows";

export type ExpiredState = { sent?: boolean };

// A blocked session may be an attacker's: it can only send a link to the
// address on file, never set a password itself (SPEC 4.3).
export async function emailMeALinkAction(): Promise<ExpiredState> {
  const session = await currentSession();
  if (session.state === "anonymous") redirect("/login");
  const db = await getDb();
  const ip = clientIp(await headers());
  try {
    // Address first: one address asked for again and again does not use up its IP's budget.
    await assertRateLimitsInTurn(db, [
      ["reset-link:address", session.user.email],
      ["reset-link:ip", ip],
    ]);
  } catch (error) {
    if (error instanceof RateLimitedError) redirect(rateLimitedPath(error));
    throw error;
  }
  await sendResetLinkToAccount(db, { userId: session.user.id, purpose: "self_service", ip });
  return { sent: true };
}
