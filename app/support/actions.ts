"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import {
  claimRequest,
  findCustomerByEmail,
  parseId,
  parseQueueFilter,
  releaseRequest,
  resolveRequest,
  type ActionResult,
} from "@/lib/support";
import { staffAction } from "./_lib/staff-action";

export type LookupState = { error?: string };

export async function lookupCustomer(_prev: LookupState, formData: FormData): Promise<LookupState> {
  const id = await staffAction("agent", async (actor) =>
    findCustomerByEmail(await getDb(), actor.id, formData.get("email")),
  );
  if (id === null) return { error: "No customer account uses that email address. Check the spelling." };
  redirect(`/support/customers/${id}`);
}

// Where to go back after a queue action: the queue (with its filter) or the request.
function backTo(formData: FormData, requestId: number | null, flash: string): string {
  if (formData.get("from") === "request" && requestId) return `/support/requests/${requestId}?flash=${flash}`;
  return `/support?filter=${parseQueueFilter(formData.get("filter"))}&flash=${flash}`;
}

function flashOf(result: ActionResult, done: string): string {
  if (result.ok) return done;
  if (/does not exist/.test(result.error)) return "missing";
  if (/Only the agent/.test(result.error)) return "not-holder";
  return "taken";
}

async function queueAction(
  formData: FormData,
  run: (actorId: number, requestId: number, ip: string) => Promise<ActionResult>,
  done: string,
) {
  const requestId = parseId(formData.get("requestId"));
  const result: ActionResult = requestId
    ? await staffAction("agent", async (actor) => run(actor.id, requestId, actor.ip))
    : { ok: false, error: "That request does not exist." };
  revalidatePath("/support");
  redirect(backTo(formData, requestId, flashOf(result, done)));
}

export async function claimAction(formData: FormData) {
  await queueAction(formData, async (actor, id, ip) => claimRequest(await getDb(), actor, id, ip), "claimed");
}

export async function releaseAction(formData: FormData) {
  await queueAction(formData, async (actor, id, ip) => releaseRequest(await getDb(), actor, id, ip), "released");
}

export async function resolveAction(formData: FormData) {
  const requestId = parseId(formData.get("requestId"));
  if (!requestId) redirect("/support?flash=missing");
  const result = await staffAction("agent", async (actor) => resolveRequest(await getDb(), actor.id, requestId, actor.ip));
  revalidatePath("/support");
  redirect(result.ok ? "/support?filter=open&flash=resolved" : `/support?flash=missing`);
}
