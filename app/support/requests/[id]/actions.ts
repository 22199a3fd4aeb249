"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { addInternalNote, parseId, replyToRequest } from "@/lib/support";
import { staffAction } from "../../_lib/staff-action";

/** A message that arrived after the page was loaded, shown beside a refused reply. */
export type NewerShown = { id: number; kind: "customer" | "reply"; from: string; body: string; at: string };

export type ThreadFormState = { ok?: boolean; message?: string; error?: string; value?: string; newer?: NewerShown[] };

const kept = (body: FormDataEntryValue | null) => (typeof body === "string" ? body.slice(0, 10000) : "");

export async function sendReply(_prev: ThreadFormState, formData: FormData): Promise<ThreadFormState> {
  const requestId = parseId(formData.get("requestId"));
  const body = formData.get("reply");
  if (!requestId) return { error: "That request does not exist." };
  // The newest message the agent had on screen; none given counts as none seen, so the reply is checked, never blind.
  const seenMessageId = parseId(formData.get("seen")) ?? 0;
  const result = await staffAction("agent", async (actor) =>
    replyToRequest(await getDb(), actor.id, requestId, body, actor.ip, { seenMessageId }),
  );
  revalidatePath(`/support/requests/${requestId}`);
  if (result.ok) return { ok: true, message: result.message };
  const newer =
    result.code === "stale"
      ? result.newer.map((m) => ({ id: m.id, kind: m.kind, from: m.from, body: m.body, at: m.createdAt.toISOString() }))
      : undefined;
  return { ok: false, error: result.error, value: kept(body), newer };
}

export async function addNote(_prev: ThreadFormState, formData: FormData): Promise<ThreadFormState> {
  const requestId = parseId(formData.get("requestId"));
  const body = formData.get("note");
  if (!requestId) return { error: "That request does not exist." };
  const result = await staffAction("agent", async (actor) => addInternalNote(await getDb(), actor.id, requestId, body, actor.ip));
  revalidatePath(`/support/requests/${requestId}`);
  if (result.ok) return { ok: true, message: result.message };
  return { ok: false, error: result.error, value: kept(body) };
}
