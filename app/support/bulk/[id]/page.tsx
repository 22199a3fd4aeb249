import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { requireRole } from "@/lib/auth/guards";
import { parseId } from "@/lib/support";
import { bulkAnswerView, LEFT_OUT_LISTED, type LeftOut } from "@/lib/support/bulk";
import { DeskNav, When } from "../../_lib/format";
import { retryBulkAnswerAction } from "../actions";
import { LiveProgress } from "./live-progress";

export const metadata: Metadata = { title: "Bulk answer", robots: { index: false } };

const why: Record<LeftOut["outcome"], string> = {
  stale: "the customer wrote again after you confirmed: answer it yourself",
  duplicate: "already had this answer to the same message (another bulk answer)",
  closed: "merged into another request meanwhile",
};

export default async function BulkAnswerJobPage({ params }: { params: Promise<{ id: string }> }) {
  const { id: raw } = await params;
  const agent = await requireRole("agent", `/support/bulk/${encodeURIComponent(raw)}`);
  const id = parseId(raw);
  if (!id) notFound();
  const view = await bulkAnswerView(await getDb(), agent.id, id);
  if (!view) notFound();
  const running = view.status === "running";
  const leftOut = view.outcomes.stale + view.outcomes.duplicate + view.outcomes.closed;

  return (
    <div className="stack">
      {/* Without JavaScript the page follows the job by reloading itself. */}
      {running ? (
        <noscript>
          <meta httpEquiv="refresh" content="2" />
        </noscript>
      ) : null}
      <DeskNav current="other" />
      <h1>Bulk answer: {view.title}</h1>
      <dl className="facts">
        <dt>Sent by</dt>
        <dd>{view.createdByEmail ?? "?"}</dd>
        <dt>To</dt>
        <dd>
          {view.description} ({view.total.toLocaleString("en-US")} request{view.total === 1 ? "" : "s"}
          {view.confirmed !== null && view.confirmed !== view.total ? `; ${view.confirmed.toLocaleString("en-US")} when confirmed` : ""})
        </dd>
        <dt>Then</dt>
        <dd>{view.markResolved ? "marked resolved" : "waiting on the customer"}</dd>
        <dt>Started</dt>
        <dd>
          <When at={view.createdAt} />
        </dd>
        {view.finishedAt ? (
          <>
            <dt>Finished</dt>
            <dd>
              <When at={view.finishedAt} />
            </dd>
          </>
        ) : null}
      </dl>

      <LiveProgress
        id={view.id}
        initial={{ status: view.status, total: view.total, processed: view.processed, sent: view.sent, emailed: view.emailed, outcomes: view.outcomes }}
      />
      {running ? (
        <p>
          {view.stalled ? "Its runner stopped (a restart): it resumes by itself within a minute. " : null}
          <Link href={`/support/bulk/${view.id}`}>Reload</Link> to see the latest progress.
        </p>
      ) : null}
      {view.status === "failed" ? (
        <div className="stack">
          <p role="alert" className="status status-bad">
            The email provider refused this bulk answer: {view.lastError ?? "no reason given"}. Nothing was sent twice; the
            rest waits.
          </p>
          <form action={retryBulkAnswerAction}>
            <input type="hidden" name="id" value={view.id} />
            <button type="submit">Try again</button>
          </form>
        </div>
      ) : null}

      {!running ? (
        <section className="stack" aria-labelledby="result-heading">
          <h2 id="result-heading">Result</h2>
          <ul>
            <li>
              Sent: <strong data-testid="bulk-sent">{view.sent.toLocaleString("en-US")}</strong> (
              {view.emailed.toLocaleString("en-US")} emailed)
            </li>
            <li>
              Left out because the customer wrote again: <strong data-testid="bulk-stale">{view.outcomes.stale}</strong>
            </li>
            <li>
              Already answered (duplicates): <strong data-testid="bulk-duplicates">{view.outcomes.duplicate}</strong>
            </li>
            <li>
              Merged meanwhile: <strong>{view.outcomes.closed}</strong>
            </li>
          </ul>
          {leftOut > 0 ? (
            <>
              <h3>Left out</h3>
              <ul data-testid="bulk-left-out">
                {view.leftOut.map((l) => (
                  <li key={l.id}>
                    <Link href={`/support/requests/${l.id}`}>{l.reference}</Link> ({l.email}): {why[l.outcome]}
                  </li>
                ))}
              </ul>
              {leftOut > view.leftOut.length ? <p className="muted">Only the first {LEFT_OUT_LISTED} are listed.</p> : null}
            </>
          ) : null}
          <p>
            <Link href="/support">Back to the queue</Link>
          </p>
        </section>
      ) : null}
    </div>
  );
}
