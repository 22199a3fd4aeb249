import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { requireRole } from "@/lib/auth/guards";
import { describeScope, findJob, isStalled, jobFraction, recentJobs } from "@/lib/expiry";
import { resumeJobAction } from "./actions";
import { ExpiryForm } from "./expiry-form";
import { JobProgress } from "./job-progress";

export const metadata: Metadata = { title: "Expire passwords" };

export default async function ExpiryPage({ searchParams }: { searchParams: Promise<{ job?: string }> }) {
  await requireRole("admin", "/admin/expiry");
  const db = await getDb();
  const { job: jobParam } = await searchParams;
  const current = jobParam && /^\d{1,15}$/.test(jobParam) ? await findJob(db, Number(jobParam)) : undefined;
  const jobs = await recentJobs(db, "expiry");
  return (
    <div className="stack">
      <h1>Expire passwords</h1>
      <p className="lead">
        An expired password never signs in again; open sessions of those accounts are blocked until a new password is
        set through an emailed link. The work runs in batches that commit as they go and can be resumed.
      </p>
      {current && current.kind === "expiry" ? (
        <section className="panel stack" aria-labelledby="job-progress">
          <h2 id="job-progress">Progress</h2>
          <JobProgress
            initial={{ id: current.id, status: current.status, scope: describeScope(current.scope), total: current.total, processed: current.processed, fraction: jobFraction(current) }}
          />
        </section>
      ) : null}
      <section className="stack" aria-labelledby="new-expiry">
        <h2 id="new-expiry">Choose the scope</h2>
        <ExpiryForm />
      </section>
      {jobs.length > 0 ? (
        <section className="stack" aria-labelledby="past-expiries">
          <h2 id="past-expiries">Recent expiries</h2>
          <div className="table-wrap">
            <table>
              <thead>
                <tr><th scope="col">Job</th><th scope="col">Scope</th><th scope="col">Started</th><th scope="col">Expired</th><th scope="col">Status</th></tr>
              </thead>
              <tbody>
                {jobs.map((j) => (
                  <tr key={j.id}>
                    <td>{j.id}</td>
                    <td>{describeScope(j.scope)}</td>
                    <td><time dateTime={j.at.toISOString()}>{j.at.toUTCString()}</time></td>
                    <td>{j.processed.toLocaleString("en-US")}</td>
                    <td>
                      {isStalled(j) ? (
                        <form action={resumeJobAction}>
                          <input type="hidden" name="jobId" value={j.id} />
                          <button type="submit" className="button button-secondary">Resume job {j.id}</button>
                        </form>
                      ) : (
                        `${j.status} (${Math.round(jobFraction(j) * 100)}%)`
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </div>
  );
}
