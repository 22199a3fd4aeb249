"use server";
import { headers } from "next/headers";
import { getDb } from "@/db/client";
import { recordAudit } from "@/lib/audit";
import { signOut } from "@/lib/auth/config";
import { currentSession } from "@/lib/auth/guards";
import { clientIp } from "@/lib/http/client-ip";

export async function signOutAction() {
  const session = await currentSession();
  if (session.state !== "anonymous") {
    await recordAudit(await getDb(), {
      action: "sign_out",
      actorId: session.user.id,
      subjectId: session.user.id,
      ip: clientIp(await headers()),
    });
  }
  await signOut({ redirectTo: "/login" });
}
