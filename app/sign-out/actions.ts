"use server";
import { headers } from "next/headers";
import { getDb } from "@/db/client";
import { signOut } from "@/lib/auth/config";
import { currentSession } from "@/lib/auth/guards";
import { endSessionsOf } from "@/lib/auth/sign-out";
import { clientIp } from "@/lib/http/client-ip";

export async function signOutAction() {
  const session = await currentSession();
  if (session.state !== "anonymous") {
    // A JWT stays valid until it expires; moving the account's session version
    // on makes a copied cookie worthless at once. It signs out the account's
    // other devices too: on a breach day we prefer that to a lingering session.
    await endSessionsOf(await getDb(), session.user.id, clientIp(await headers()));
  }
  await signOut({ redirectTo: "/login" });
}
