"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { changeTopic, mergeRequests, parseId, type OrganiseResult } from "@/lib/support";
import { staffAction } from "../../_lib/staff-action";

// Plain form actions (they work without JavaScript): do it, then back to a request page with a flash code.
function flashOf(result: OrganiseResult, done: string): string {
  return result.ok ? done : `${done}-${result.code}`;
}

export async function changeTopicAction(formData: FormData) {
  const requestId = parseId(formData.get("requestId"));
  if (!requestId) redirect("/support?flash=missing");
  const result = await staffAction("agent", async (actor) => changeTopic(await getDb(), actor.id, requestId, formData.get("topic"), actor.ip));
  revalidatePath("/support");
  redirect(`/support/requests/${requestId}?flash=${flashOf(result, "topic")}`);
}

export async function mergeAction(formData: FormData) {
  const mergedId = parseId(formData.get("mergedId"));
  const survivorId = parseId(formData.get("survivorId"));
  const back = parseId(formData.get("requestId")) ?? survivorId;
  if (!mergedId || !survivorId) redirect(back ? `/support/requests/${back}?flash=merge-missing` : "/support?flash=missing");
  const result = await staffAction("agent", async (actor) => mergeRequests(await getDb(), actor.id, { mergedId, survivorId }, actor.ip));
  revalidatePath("/support");
  // Done: the survivor, where the whole thread now is. Refused: the page the agent was on.
  redirect(result.ok ? `/support/requests/${result.requestId}?flash=merged` : `/support/requests/${back}?flash=${flashOf(result, "merge")}`);
}
