"use server";
import { headers } from "next/headers";
import { getDb } from "@/db/client";
import { signOut } from "@/lib/auth/config";
import { currentSession } from "@/lib/auth/guards";
import { signOutThisSession } from "@/lib/auth/sign-out";
import { clientIp } from "@/lib/http/client-ip";

export async function signOutAction() {
  const session = await currentSession();
  if (session.state !== "anonymous") {
    // Ending the record, not just clearing the cookie: a copied cookie dies too.
    await signOutThisSession(await getDb(), session.user.id, session.sessionId, clientIp(await headers()));
  }
  await signOut({ redirectTo: "/login" });
}
