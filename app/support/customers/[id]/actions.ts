"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { endCustomerSessionsFromAgent, parseId, sendResetLinkFromAgent } from "@/lib/support";
import { staffAction } from "../../_lib/staff-action";

export type SendLinkState = { ok?: boolean; message?: string };

// Only the customer's id travels: the address is always the one on file.
export async function sendResetLink(_prev: SendLinkState, formData: FormData): Promise<SendLinkState> {
  const customerId = parseId(formData.get("customerId"));
  if (!customerId) return { ok: false, message: "That account does not exist." };
  const result = await staffAction("agent", async (actor) =>
    sendResetLinkFromAgent(await getDb(), actor.id, customerId, actor.ip),
  );
  revalidatePath(`/support/customers/${customerId}`);
  return result.ok ? { ok: true, message: result.message } : { ok: false, message: result.error };
}

export type EndSessionsState = { ok?: boolean; message?: string };

export async function endCustomerSessions(_prev: EndSessionsState, formData: FormData): Promise<EndSessionsState> {
  const customerId = parseId(formData.get("customerId"));
  if (!customerId) return { ok: false, message: "That account does not exist." };
  const result = await staffAction("agent", async (actor) =>
    endCustomerSessionsFromAgent(await getDb(), actor.id, customerId, actor.ip),
  );
  revalidatePath(`/support/customers/${customerId}`);
  return result.ok ? { ok: true, message: result.message } : { ok: false, message: result.error };
}
