"use client";
// Live progress: polls the progress route every second while the campaign runs.
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import type { CampaignProgress } from "@/lib/campaigns";
import { ProgressBar } from "../_components/progress-bar";

function eta(seconds: number | null) {
  if (seconds === null) return "not known yet";
  if (seconds < 90) return `about ${seconds} s`;
  if (seconds < 5400) return `about ${Math.round(seconds / 60)} min`;
  return `about ${(seconds / 3600).toFixed(1)} h`;
}

export function CampaignProgressLive({ initial }: { initial: CampaignProgress }) {
  const [progress, setProgress] = useState(initial);
  const router = useRouter();
  const lastStatus = useRef(initial.status);
  useEffect(() => {
    if (progress.status !== "running") return;
    const timer = setInterval(async () => {
      const res = await fetch(`/admin/campaigns/${initial.id}/progress`, { cache: "no-store" });
      if (!res.ok) return;
      const next = (await res.json()) as CampaignProgress;
      setProgress(next);
      if (next.status !== lastStatus.current) {
        lastStatus.current = next.status;
        router.refresh();
      }
    }, 1000);
    return () => clearInterval(timer);
  }, [initial.id, progress.status, router]);
  const c = progress.counts;
  return (
    <div className="stack" aria-live="polite">
      <p>
        Status: <strong data-testid="campaign-status">{progress.status}</strong> · scope: {progress.scope}
      </p>
      <ProgressBar label="Recipients done" done={progress.done} total={progress.total} />
      <p className="muted">
        Sent {(c.sent ?? 0) + (c.delivered ?? 0) + (c.bounced ?? 0) + (c.complained ?? 0)} · delivered {c.delivered ?? 0} · bounced{" "}
        {c.bounced ?? 0} · complaints {c.complained ?? 0} · suppressed {c.suppressed ?? 0} · failed {c.failed ?? 0} · waiting{" "}
        {(c.pending ?? 0) + (c.sending ?? 0)}
        {progress.emailsPerSecond ? ` · ${progress.emailsPerSecond.toFixed(1)} emails/s` : ""}
        {progress.status === "running" ? ` · time left: ${eta(progress.etaSeconds)}` : ""}
      </p>
    </div>
  );
}
