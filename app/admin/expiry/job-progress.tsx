"use client";
// Polls a job's progress every second until it is finished.
import { useEffect, useState } from "react";
import { ProgressBar } from "../_components/progress-bar";

type Job = { id: number; status: string; scope: string; total: number; processed: number; fraction: number };

export function JobProgress({ initial }: { initial: Job }) {
  const [job, setJob] = useState(initial);
  useEffect(() => {
    if (job.status !== "running") return;
    const timer = setInterval(async () => {
      const res = await fetch(`/admin/expiry/jobs/${initial.id}`, { cache: "no-store" });
      if (res.ok) setJob(await res.json());
    }, 1000);
    return () => clearInterval(timer);
  }, [initial.id, job.status]);
  return (
    <div className="stack" aria-live="polite">
      <ProgressBar label={`Expiry ${job.id} (${job.scope})`} done={Math.round(job.fraction * job.total)} total={job.total} />
      <p role="status" className={job.status === "finished" ? "status status-ok" : "status status-info"}>
        {job.status === "finished"
          ? `Finished: ${job.processed.toLocaleString("en-US")} passwords expired.`
          : `Running: ${job.processed.toLocaleString("en-US")} passwords expired so far.`}
      </p>
    </div>
  );
}
