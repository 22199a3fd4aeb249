"use server";
// Thin: the role, then lib/support/bulk (validation, the one-time key, the
// targets); the job runs in this server's background and its page shows it.
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { parseId } from "@/lib/support";
import { createBulkAnswer, kickBulkAnswers, parseBulkSelection, retryBulkAnswer, selectionParams } from "@/lib/support/bulk";
import { staffAction } from "../_lib/staff-action";

function selectionOf(form: FormData) {
  return parseBulkSelection({
    all: form.get("all") ?? undefined,
    filter: form.get("filter") ?? undefined,
    topic: form.get("topic") ?? undefined,
    q: form.get("q") ?? undefined,
    request: form.getAll("request"),
  });
}

export async function createBulkAnswerAction(form: FormData) {
  const selection = selectionOf(form);
  const back = (code: string, extra: Record<string, string> = {}) => {
    const params = selection ? selectionParams(selection) : new URLSearchParams();
    params.set("error", code);
    for (const [k, v] of Object.entries(extra)) params.set(k, v);
    return `/support/bulk?${params}`;
  };
  const savedReplyId = parseId(form.get("savedReply"));
  if (!savedReplyId) redirect(back("choose-reply"));
  const result = await staffAction("agent", async (actor) =>
    createBulkAnswer(
      await getDb(),
      actor.id,
      {
        clientKey: form.get("clientKey"),
        savedReplyId,
        markResolved: form.get("markResolved") === "on",
        asOf: form.get("asOf"),
        confirmed: form.get("confirmed"),
        selection,
      },
      actor.ip,
    ),
  );
  if (!result.ok) redirect(back(result.code, { savedReply: String(savedReplyId), ...(result.count ? { count: String(result.count) } : {}) }));
  kickBulkAnswers();
  redirect(`/support/bulk/${result.id}`);
}

export async function retryBulkAnswerAction(form: FormData) {
  const id = parseId(form.get("id"));
  if (!id) redirect("/support/bulk");
  await staffAction("agent", async (actor) => retryBulkAnswer(await getDb(), actor.id, id));
  kickBulkAnswers();
  redirect(`/support/bulk/${id}`);
}
