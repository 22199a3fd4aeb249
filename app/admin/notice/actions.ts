"use server";
// Publish: validate (the shared schema, again, in lib), write the revision and
// its audit event, expire the cached notice at once, then show the editor.
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { AuthorizationError, requireRoleForAction } from "@/lib/auth/guards";
import { clientIp } from "@/lib/http/client-ip";
import { publishNotice } from "@/lib/incident/notice";
import { revalidateNotice } from "@/lib/incident/published";

export type PublishState = { ok: false; fieldErrors: Record<string, string>; formError?: string };

export async function publishNoticeAction(input: unknown): Promise<PublishState> {
  let actor;
  try {
    actor = await requireRoleForAction("admin");
  } catch (error) {
    if (error instanceof AuthorizationError) return { ok: false, fieldErrors: {}, formError: error.message };
    throw error;
  }
  const result = await publishNotice(await getDb(), actor, input, clientIp(await headers()));
  if (!result.ok) {
    return { ok: false, fieldErrors: result.fieldErrors, formError: "The notice was not published: correct the fields marked below." };
  }
  revalidateNotice();
  redirect(`/admin/notice?published=${result.revisionId}`);
}
