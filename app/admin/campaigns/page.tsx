import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { requireRole } from "@/lib/auth/guards";
import { campaignProgress, listCampaigns } from "@/lib/campaigns";
import { ensureInAppWorker } from "@/lib/campaigns/in-app-worker";
import { env } from "@/lib/env";
import { CampaignControls, CreateCampaignForm } from "./campaign-forms";
import { CampaignProgressLive } from "./campaign-progress";

export const metadata: Metadata = { title: "Campaigns" };

export default async function CampaignsPage() {
  await requireRole("admin", "/admin/campaigns");
  const db = await getDb();
  const list = await listCampaigns(db);
  const progress = (await Promise.all(list.slice(0, 10).map((c) => campaignProgress(db, c.id)))).filter((p) => p !== null);
  if (progress.some((p) => p.status === "running")) ensureInAppWorker();
  const inApp = env().CAMPAIGN_WORKER_IN_APP;
  return (
    <div className="stack">
      <h1>Campaigns</h1>
      <p className="lead">
        Email every customer in scope the breach notice with a personal link to set a new password. Sends go through the
        provider&apos;s batch endpoint at its rate limit; pausing lets batches already sent finish.
      </p>
      <p className="muted">
        {inApp
          ? "This server sends running campaigns itself."
          : "Running campaigns are sent by worker processes: npm run cli -- campaign work (start several to share the work)."}
      </p>
      <section className="panel stack" aria-labelledby="new-campaign">
        <h2 id="new-campaign">New campaign</h2>
        <CreateCampaignForm />
      </section>
      {progress.length === 0 ? <p>No campaigns yet.</p> : null}
      {progress.map((p) => (
        <section key={p.id} className="panel stack" aria-labelledby={`campaign-${p.id}`}>
          <h2 id={`campaign-${p.id}`}>
            {p.name} <span className="muted">(#{p.id})</span>
          </h2>
          <CampaignProgressLive key={p.status} initial={p} />
          <CampaignControls campaignId={p.id} status={p.status} />
        </section>
      ))}
    </div>
  );
}
