// GET /admin/campaigns/<id>/progress: the live numbers the campaigns page polls.
import { getDb } from "@/db/client";
import { refuseUnlessRole } from "@/lib/auth/guards";
import { campaignProgress } from "@/lib/campaigns";
import { ensureInAppWorker } from "@/lib/campaigns/in-app-worker";

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const refused = await refuseUnlessRole("admin");
  if (refused) return refused;
  const id = Number((await params).id);
  if (!Number.isSafeInteger(id) || id < 1) return Response.json({ error: "No such campaign." }, { status: 404 });
  const progress = await campaignProgress(await getDb(), id);
  if (!progress) return Response.json({ error: "No such campaign." }, { status: 404 });
  // After a restart, a running campaign gets its in-app worker back.
  if (progress.status === "running") ensureInAppWorker();
  return Response.json(progress, { headers: { "cache-control": "no-store" } });
}
