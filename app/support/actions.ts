"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import {
  claimRequest,
  parseId,
  parseQueueQuery,
  queueQueryParams,
  releaseRequest,
  takeNext,
  resolveRequest,
  type ActionResult,
} from "@/lib/support";
import { staffAction } from "./_lib/staff-action";

/** The queue view (filter, topic, search) a form carries (ViewFields). */
function queryOf(formData: FormData) {
  const field = (name: string) => formData.get(name) ?? undefined;
  return parseQueueQuery({ filter: field("filter"), topic: field("topic"), q: field("q") });
}

/** The queue view and page an action was sent from, as /support?… */
function viewOf(formData: FormData, flash: string): string {
  const params = queueQueryParams(queryOf(formData));
  for (const name of ["after", "before"]) {
    const id = parseId(formData.get(name));
    if (id) params.set(name, String(id));
  }
  params.set("flash", flash);
  return `/support?${params}`;
}

// Where to go back after a queue action: the queue (its view and page) or the request.
function backTo(formData: FormData, requestId: number | null, flash: string): string {
  if (formData.get("from") === "request" && requestId) return `/support/requests/${requestId}?flash=${flash}`;
  return viewOf(formData, flash);
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

/** "Take next": the oldest unclaimed request of the view becomes the agent's and opens. */
export async function takeNextAction(formData: FormData) {
  const query = queryOf(formData);
  const result = await staffAction("agent", async (actor) => takeNext(await getDb(), actor.id, query, actor.ip));
  revalidatePath("/support");
  if (!result.ok) redirect(viewOf(formData, "none-left"));
  redirect(`/support/requests/${result.requestId}?flash=took`);
}
