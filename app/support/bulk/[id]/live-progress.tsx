"use client";
// While a bulk answer runs: its progress every second; once it ends, the page
// is rendered again with the result. (Without JavaScript the page refreshes itself.)
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { ProgressBar } from "../../../admin/_components/progress-bar";

export type Progress = {
  status: string;
  total: number;
  processed: number;
  sent: number;
  emailed: number;
  outcomes: { stale: number; duplicate: number; closed: number };
};

export function LiveProgress({ id, initial }: { id: number; initial: Progress }) {
  const [progress, setProgress] = useState(initial);
  const router = useRouter();
  useEffect(() => {
    if (progress.status !== "running") {
      if (initial.status === "running") router.refresh();
      return;
    }
    const timer = setInterval(async () => {
      const res = await fetch(`/support/bulk/${id}/progress`, { cache: "no-store" });
      if (res.ok) setProgress(await res.json());
    }, 1000);
    return () => clearInterval(timer);
  }, [id, progress.status, initial.status, router]);
  const leftOut = progress.outcomes.stale + progress.outcomes.duplicate + progress.outcomes.closed;
  return (
    <div className="stack">
      <ProgressBar label="Requests processed" done={progress.processed} total={progress.total} />
      <p role="status" className="status status-info">
        {progress.status === "running" ? "Sending: " : "Finished: "}
        {progress.emailed.toLocaleString("en-US")} emailed of {progress.sent.toLocaleString("en-US")} replies recorded;{" "}
        {leftOut.toLocaleString("en-US")} left out so far.
      </p>
    </div>
  );
}
