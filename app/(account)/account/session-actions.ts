"use server";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { requireUserForAction, currentSession } from "@/lib/auth/guards";
import { clientIp } from "@/lib/http/client-ip";
import { endDeviceSession, endSessionsExcept } from "@/lib/sessions";

async function thisSession() {
  await requireUserForAction().catch(() => redirect("/login?next=/account"));
  const session = await currentSession();
  if (session.state !== "active") redirect("/login?next=/account");
  return { user: session.user, sessionId: session.sessionId, ip: clientIp(await headers()) };
}

/** "Sign out" beside another device: ends that session only (this one has the header's sign-out). */
export async function endOtherSession(formData: FormData) {
  const { user, sessionId, ip } = await thisSession();
  const target = String(formData.get("sessionId") ?? "").slice(0, 64);
  if (target && target !== sessionId) {
    // The account's id is part of the condition: another account's session is never touched.
    await endDeviceSession(await getDb(), target, { userId: user.id, actorId: user.id, ip, reason: "ended_by_user" });
  }
  redirect("/account?sessions=ended#sessions");
}

/** "Sign out everywhere else": every session of the account but this one. */
export async function endEveryOtherSession() {
  const { user, sessionId, ip } = await thisSession();
  await endSessionsExcept(await getDb(), sessionId, { userId: user.id, actorId: user.id, ip, reason: "ended_other" });
  redirect("/account?sessions=others#sessions");
}
