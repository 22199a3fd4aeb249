"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { disableAgent, inviteAgent, parseId, type FieldErrors } from "@/lib/support";
import { staffAction } from "../../support/_lib/staff-action";

export type AgentFormState = { ok?: boolean; message?: string; fieldErrors?: FieldErrors };

export async function invite(_prev: AgentFormState, formData: FormData): Promise<AgentFormState> {
  const input = { email: formData.get("email"), name: formData.get("name") ?? "" };
  const result = await staffAction("admin", async (actor) => inviteAgent(await getDb(), actor.id, input, actor.ip));
  revalidatePath("/admin/agents");
  return result.ok ? { ok: true, message: result.message } : { ok: false, message: result.error, fieldErrors: result.fieldErrors };
}

export async function disable(_prev: AgentFormState, formData: FormData): Promise<AgentFormState> {
  const agentId = parseId(formData.get("agentId"));
  if (!agentId) return { ok: false, message: "No active agent with that id." };
  const result = await staffAction("admin", async (actor) => disableAgent(await getDb(), actor.id, agentId, actor.ip));
  revalidatePath("/admin/agents");
  return result.ok ? { ok: true, message: result.message } : { ok: false, message: result.error };
}
