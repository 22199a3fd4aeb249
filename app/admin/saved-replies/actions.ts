"use server";
// Thin: the role, then lib/support's saved replies (validated and audited there).
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { parseId } from "@/lib/support";
import { archiveSavedReply, createSavedReply, savedReplySchema, updateSavedReply } from "@/lib/support/saved-reply-store";
import type { FieldErrors } from "@/lib/support/text";
import { staffAction } from "../../support/_lib/staff-action";

export type SavedReplyFormValues = { title: string; body: string; topic: string };
export type SavedReplyFormState = {
  error?: string;
  fieldErrors?: FieldErrors;
  values?: SavedReplyFormValues;
  /** "Preview" without JavaScript: the body as typed, shown rendered, nothing saved */
  preview?: string;
};

const text = (value: FormDataEntryValue | null) => (typeof value === "string" ? value : "");

export async function saveSavedReplyAction(_prev: SavedReplyFormState, form: FormData): Promise<SavedReplyFormState> {
  const values = { title: text(form.get("title")), body: text(form.get("body")), topic: text(form.get("topic")) };
  const id = form.get("id") ? parseId(form.get("id")) : null;
  if (form.get("intent") === "preview") {
    await staffAction("admin", async () => null);
    const parsed = savedReplySchema.safeParse(values);
    const fieldErrors = parsed.success ? undefined : Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message]));
    return { values, preview: values.body.slice(0, 10_000), fieldErrors };
  }
  const result = await staffAction("admin", async (actor) =>
    id ? updateSavedReply(await getDb(), actor.id, id, values, actor.ip) : createSavedReply(await getDb(), actor.id, values, actor.ip),
  );
  if (!result.ok) return { error: result.error, fieldErrors: result.fieldErrors, values };
  revalidatePath("/admin/saved-replies");
  redirect(`/admin/saved-replies?saved=${result.id}`);
}

export async function archiveSavedReplyAction(form: FormData) {
  const id = parseId(form.get("id"));
  const result = id ? await staffAction("admin", async (actor) => archiveSavedReply(await getDb(), actor.id, id, actor.ip)) : null;
  revalidatePath("/admin/saved-replies");
  redirect(`/admin/saved-replies?${result?.ok ? `archived=${id}` : "missing=1"}`);
}
