import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { requireRole } from "@/lib/auth/guards";
import { campaignProgress, listCampaigns } from "@/lib/campaigns";
import { COUNT_LABELS, incidentCounts, snapshotsSince, wholeIncident, type IncidentCounts } from "@/lib/campaigns/metrics";
import { CountsChart } from "./_components/counts-chart";
import { ProgressBar } from "./_components/progress-bar";

export const metadata: Metadata = { title: "Incident dashboard" };

function eta(seconds: number | null) {
  if (seconds === null) return "not known yet";
  if (seconds < 90) return `about ${seconds} seconds`;
  if (seconds < 5400) return `about ${Math.round(seconds / 60)} minutes`;
  return `about ${(seconds / 3600).toFixed(1)} hours`;
}

export default async function DashboardPage() {
  await requireRole("admin", "/admin");
  const db = await getDb();
  const [counts, lastDay, incident] = await Promise.all([incidentCounts(db), snapshotsSince(db, 24), wholeIncident(db)]);
  const latest = (await listCampaigns(db))[0];
  const campaign = latest ? await campaignProgress(db, latest.id) : null;
  return (
    <div className="stack">
      <h1>Incident dashboard</h1>
      <ul className="cards" aria-label="Counts">
        {(Object.keys(COUNT_LABELS) as (keyof IncidentCounts)[]).map((key) => (
          <li key={key} className="card">
            <h2>{COUNT_LABELS[key]}</h2>
            <p style={{ fontSize: "1.75rem", margin: 0 }} data-testid={`count-${key}`}>
              {counts[key].toLocaleString("en-US")}
            </p>
          </li>
        ))}
      </ul>
      <section className="panel stack" aria-labelledby="over-time">
        <h2 id="over-time">Over time</h2>
        <p className="muted">The app takes a snapshot of the counts every minute, whether or not this page is open.</p>
        <h3 id="chart-day">Last 24 hours</h3>
        <CountsChart points={lastDay} id="chart-day-svg" />
        <h3 id="chart-incident">Whole incident</h3>
        <CountsChart points={incident} id="chart-incident-svg" />
      </section>
      <section className="panel stack" aria-labelledby="campaign-now">
        <h2 id="campaign-now">Campaign</h2>
        {campaign ? (
          <>
            <p>
              {campaign.name} — <strong>{campaign.status}</strong> ({campaign.scope}).{" "}
              {campaign.status === "running" ? `Time left at the current rate: ${eta(campaign.etaSeconds)}.` : null}
            </p>
            <ProgressBar label="Recipients done" done={campaign.done} total={campaign.total} />
            <p><Link href="/admin/campaigns">Manage campaigns</Link></p>
          </>
        ) : (
          <p>No campaign yet. <Link href="/admin/campaigns">Create one</Link>.</p>
        )}
      </section>
    </div>
  );
}
