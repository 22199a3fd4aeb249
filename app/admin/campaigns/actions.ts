"use server";
// Thin: check the role, call lib/campaigns, refresh the page.
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { getDb } from "@/db/client";
import { InputError } from "@/lib/accounts";
import { AuthorizationError, requireRoleForAction } from "@/lib/auth/guards";
import { CampaignError, createCampaign, pauseCampaign, startCampaign, type CampaignScope } from "@/lib/campaigns";
import { ensureInAppWorker } from "@/lib/campaigns/in-app-worker";
import { clientIp } from "@/lib/http/client-ip";

export type CampaignFormState = { ok: boolean; message?: string; formError?: string };

async function actor() {
  const user = await requireRoleForAction("admin");
  return { id: user.id, ip: clientIp(await headers()) };
}

function failure(error: unknown): CampaignFormState {
  if (error instanceof InputError || error instanceof CampaignError || error instanceof AuthorizationError) {
    return { ok: false, formError: error.message };
  }
  throw error;
}

export async function createCampaignAction(_prev: CampaignFormState, form: FormData): Promise<CampaignFormState> {
  try {
    const who = await actor();
    const kind = String(form.get("scope") ?? "customers");
    const scope: CampaignScope =
      kind === "emails"
        ? { kind: "emails", emails: String(form.get("emails") ?? "").split(/[\s,;]+/).filter(Boolean) }
        : kind === "everyone"
          ? { kind: "everyone" }
          : { kind: "customers" };
    const id = await createCampaign(await getDb(), { name: String(form.get("name") ?? ""), scope }, who);
    revalidatePath("/admin/campaigns");
    return { ok: true, message: `Campaign ${id} created. Start it when the notice is ready.` };
  } catch (error) {
    return failure(error);
  }
}

export async function startCampaignAction(_prev: CampaignFormState, form: FormData): Promise<CampaignFormState> {
  try {
    const who = await actor();
    await startCampaign(await getDb(), Number(form.get("campaignId")), who);
    ensureInAppWorker();
    revalidatePath("/admin/campaigns");
    return { ok: true, message: "The campaign is running." };
  } catch (error) {
    return failure(error);
  }
}

export async function pauseCampaignAction(_prev: CampaignFormState, form: FormData): Promise<CampaignFormState> {
  try {
    const who = await actor();
    await pauseCampaign(await getDb(), Number(form.get("campaignId")), who);
    revalidatePath("/admin/campaigns");
    return { ok: true, message: "The campaign is paused; batches already with the provider finish." };
  } catch (error) {
    return failure(error);
  }
}
