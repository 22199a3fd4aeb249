"use server";
// Thin: check the role, count (the confirmation step), then start the job in
// the background of this server; progress is read from the jobs table.
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { InputError } from "@/lib/accounts";
import { AuthorizationError, requireRoleForAction } from "@/lib/auth/guards";
import { countScope, describeScope, normaliseScope, openJob, type UserScope } from "@/lib/expiry";
import { runInBackground } from "@/lib/expiry/background";
import { clientIp } from "@/lib/http/client-ip";

export type ExpiryFormState = {
  formError?: string;
  confirm?: { scope: UserScope; description: string; inScope: number; notYetExpired: number; clearPasskeys: boolean };
};

function scopeFrom(form: FormData): UserScope {
  const kind = String(form.get("scope") ?? "");
  if (kind === "emails") return { kind: "emails", emails: String(form.get("emails") ?? "").split(/[\s,;]+/).filter(Boolean) };
  if (kind === "everyone") return { kind: "everyone" };
  if (kind === "customers") return { kind: "customers" };
  throw new InputError("Choose who to expire.");
}

export async function reviewExpiryAction(_prev: ExpiryFormState, form: FormData): Promise<ExpiryFormState> {
  try {
    await requireRoleForAction("admin");
    const scope = normaliseScope(scopeFrom(form));
    const counts = await countScope(await getDb(), scope);
    return { confirm: { scope, description: describeScope(scope), ...counts, clearPasskeys: form.get("clearPasskeys") === "on" } };
  } catch (error) {
    if (error instanceof InputError || error instanceof AuthorizationError) return { formError: error.message };
    throw error;
  }
}

export async function startExpiryAction(_prev: ExpiryFormState, form: FormData): Promise<ExpiryFormState> {
  let jobId: number;
  try {
    const user = await requireRoleForAction("admin");
    const actor = { id: user.id, ip: clientIp(await headers()) };
    const scope = normaliseScope(JSON.parse(String(form.get("confirmedScope") ?? "null")) ?? scopeFrom(form));
    const clearPasskeys = form.get("confirmedClearPasskeys") === "true";
    const { job } = await openJob(await getDb(), "expiry", scope, actor, { clearPasskeys });
    runInBackground(job.id, actor);
    jobId = job.id;
  } catch (error) {
    if (error instanceof InputError || error instanceof AuthorizationError) return { formError: error.message };
    if (error instanceof SyntaxError) return { formError: "Review the scope again." };
    throw error;
  }
  redirect(`/admin/expiry?job=${jobId}`);
}

export async function resumeJobAction(form: FormData) {
  const user = await requireRoleForAction("admin");
  const id = Number(form.get("jobId"));
  if (Number.isSafeInteger(id) && id > 0) runInBackground(id, { id: user.id, ip: clientIp(await headers()) });
  redirect(`/admin/expiry?job=${id}`);
}
