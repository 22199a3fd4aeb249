"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { addInternalNote, parseId, replyToRequest } from "@/lib/support";
import { staffAction } from "../../_lib/staff-action";

export type ThreadFormState = { ok?: boolean; message?: string; error?: string; value?: string };

async function threadAction(
  formData: FormData,
  field: "reply" | "note",
  run: typeof replyToRequest,
): Promise<ThreadFormState> {
  const requestId = parseId(formData.get("requestId"));
  const body = formData.get(field);
  if (!requestId) return { error: "That request does not exist." };
  const result = await staffAction("agent", async (actor) => run(await getDb(), actor.id, requestId, body, actor.ip));
  revalidatePath(`/support/requests/${requestId}`);
  if (result.ok) return { ok: true, message: result.message };
  return { ok: false, error: result.error, value: typeof body === "string" ? body.slice(0, 10000) : "" };
}

export async function sendReply(_prev: ThreadFormState, formData: FormData): Promise<ThreadFormState> {
  return threadAction(formData, "reply", replyToRequest);
}

export async function addNote(_prev: ThreadFormState, formData: FormData): Promise<ThreadFormState> {
  return threadAction(formData, "note", addInternalNote);
}
