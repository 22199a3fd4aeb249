"use server";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { AuthorizationError, requireUserForAction } from "@/lib/auth/guards";
import { clientIp } from "@/lib/http/client-ip";
import { dismissPasskeyOffer, finishRegistration, removePasskey, renamePasskey, startRegistration } from "@/lib/passkeys";
import { parseId } from "@/lib/support";

async function me() {
  try {
    return { user: await requireUserForAction(), ip: clientIp(await headers()) };
  } catch (error) {
    if (error instanceof AuthorizationError) redirect(error.status === 401 ? "/login?next=/account" : "/account/password-expired");
    throw error;
  }
}

export async function passkeyRegistrationOptions() {
  const { user } = await me();
  return startRegistration(await getDb(), user.id);
}

export async function addPasskey(challengeId: string, responseJSON: string): Promise<{ ok: boolean; message: string }> {
  const { user, ip } = await me();
  let response;
  try {
    response = JSON.parse(String(responseJSON).slice(0, 65_536));
  } catch {
    return { ok: false, message: "That passkey could not be added. Try again." };
  }
  const result = await finishRegistration(await getDb(), user.id, String(challengeId).slice(0, 64), response, ip);
  if (result.ok) return { ok: true, message: "Passkey added." };
  if (result.code === "duplicate") return { ok: false, message: "That passkey is already on your account." };
  return { ok: false, message: "That passkey could not be added. Try again." };
}

export async function removePasskeyAction(formData: FormData) {
  const { user, ip } = await me();
  const id = parseId(formData.get("passkeyId"));
  if (id) await removePasskey(await getDb(), user.id, id, ip);
  redirect("/account?passkeys=removed#passkeys");
}

export async function renamePasskeyAction(formData: FormData) {
  const { user, ip } = await me();
  const id = parseId(formData.get("passkeyId"));
  const ok = id ? await renamePasskey(await getDb(), user.id, id, String(formData.get("name") ?? "").slice(0, 200), ip) : false;
  redirect(`/account?passkeys=${ok ? "renamed" : "unnamed"}#passkeys`);
}

export async function dismissPasskeyOfferAction() {
  const { user, ip } = await me();
  await dismissPasskeyOffer(await getDb(), user.id, ip);
  // A new query string: a redirect to the same URL with only a hash would not re-render the page.
  redirect("/account?passkeys=later#passkeys");
}
