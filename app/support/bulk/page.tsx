import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { requireRole } from "@/lib/auth/guards";
import { MarkdownView } from "@/lib/incident/markdown-view";
import { describeSelection, MAX_SELECTED_IDS, parseBulkSelection, previewSelection, recentBulkAnswers, type BulkSelection } from "@/lib/support/bulk";
import { queueQueryParams } from "@/lib/support/queue-query";
import { fillPlaceholders, PREVIEW_VALUES } from "@/lib/support/saved-replies";
import { listSavedReplies } from "@/lib/support/saved-reply-store";
import { parseId } from "@/lib/support";
import { DeskNav, When } from "../_lib/format";
import { createBulkAnswerAction } from "./actions";

export const metadata: Metadata = { title: "Bulk answer", robots: { index: false } };

const errors: Record<string, string> = {
  "choose-reply": "Choose the saved reply to send.",
  "no-reply": "That saved reply was archived meanwhile: choose another.",
  empty: "None of those requests can be answered any more (merged, or opened after you looked).",
  grew: "More requests match now than you confirmed: check the new count and confirm again.",
  "key-taken": "That confirmation was already used: check the count and confirm again.",
  invalid: "The confirmation was incomplete: check and confirm again.",
};

const plural = (n: number) => `${n.toLocaleString("en-US")} request${n === 1 ? "" : "s"}`;

function backToQueue(selection: BulkSelection | null): string {
  return selection?.kind === "query" ? `/support?${queueQueryParams(selection.query)}` : "/support";
}

export default async function BulkAnswerPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const agent = await requireRole("agent", "/support/bulk");
  const params = await searchParams;
  const db = await getDb();
  const selection = parseBulkSelection(params);
  const error = typeof params.error === "string" ? errors[params.error] : undefined;

  if (!selection) {
    const recent = await recentBulkAnswers(db, agent.id);
    const tooMany = Array.isArray(params.request) && params.request.length > MAX_SELECTED_IDS;
    return (
      <div className="stack">
        <DeskNav current="other" />
        <h1>Bulk answer</h1>
        {tooMany ? (
          <p role="alert" className="status status-bad">
            Select at most {MAX_SELECTED_IDS} requests one by one, or choose &quot;All N matching&quot; in the queue.
          </p>
        ) : null}
        <p>
          Select requests in the <Link href="/support">queue</Link> (or &quot;all matching&quot; a filter or search), then
          choose &quot;Answer selected&quot;.
        </p>
        {recent.length > 0 ? (
          <section aria-labelledby="recent-heading">
            <h2 id="recent-heading">Recent bulk answers</h2>
            <ul>
              {recent.map((b) => (
                <li key={b.id}>
                  <Link href={`/support/bulk/${b.id}`}>{b.title}</Link> · {plural(b.total)} · {b.status} · by{" "}
                  {b.createdByEmail ?? "?"} · <When at={b.createdAt} />
                </li>
              ))}
            </ul>
          </section>
        ) : null}
      </div>
    );
  }

  const [preview, replies] = await Promise.all([previewSelection(db, agent.id, selection), listSavedReplies(db, agent.id)]);
  const chosen = parseId(params.savedReply);
  const topic = selection.kind === "query" ? selection.query.topic : undefined;
  const ordered = topic ? [...replies.filter((r) => r.topic === topic), ...replies.filter((r) => r.topic !== topic)] : replies;

  return (
    <div className="stack">
      <DeskNav current="other" />
      <h1>Answer {plural(preview.count)} at once</h1>
      {error ? (
        <p role="alert" className="status status-bad">
          {error}
        </p>
      ) : null}
      <p>
        To {describeSelection(selection)}: {preview.sample.map((s) => s.reference).join(", ")}
        {preview.count > preview.sample.length ? ` and ${(preview.count - preview.sample.length).toLocaleString("en-US")} more` : ""}.
      </p>
      <p className="status status-info">
        Each customer gets their own email on their own thread, with their name and request reference filled in. A
        request whose customer writes again after this page was shown is left out and listed in the result, so you can
        answer it yourself. Nobody gets the same answer twice.
      </p>
      {preview.count === 0 ? (
        <p>
          Nothing to answer. <Link href={backToQueue(selection)}>Back to the queue</Link>
        </p>
      ) : replies.length === 0 ? (
        <p>There are no saved replies yet: an admin writes them under Admin → Saved replies.</p>
      ) : (
        <form action={createBulkAnswerAction} className="form">
          <input type="hidden" name="clientKey" value={randomUUID()} />
          <input type="hidden" name="asOf" value={preview.asOf} />
          <input type="hidden" name="confirmed" value={preview.count} />
          {selection.kind === "query" ? (
            <>
              <input type="hidden" name="all" value="1" />
              {[...queueQueryParams(selection.query)].map(([k, v]) => (
                <input key={k} type="hidden" name={k} value={v} />
              ))}
            </>
          ) : (
            selection.ids.map((id) => <input key={id} type="hidden" name="request" value={id} />)
          )}
          <fieldset className="stack">
            <legend>Saved reply to send</legend>
            {ordered.map((r) => (
              <div key={r.id} className="panel">
                <input
                  type="radio"
                  id={`saved-reply-${r.id}`}
                  name="savedReply"
                  value={r.id}
                  required
                  defaultChecked={chosen === r.id}
                  aria-describedby={`saved-reply-${r.id}-preview`}
                />{" "}
                <label htmlFor={`saved-reply-${r.id}`}>{r.title}</label>
                <details id={`saved-reply-${r.id}-preview`}>
                  <summary>What {PREVIEW_VALUES.name} would read</summary>
                  <MarkdownView source={fillPlaceholders(r.body, PREVIEW_VALUES)} />
                </details>
              </div>
            ))}
          </fieldset>
          <div>
            <input type="checkbox" id="mark-resolved" name="markResolved" />{" "}
            <label htmlFor="mark-resolved">Mark them resolved</label>
          </div>
          <div className="actions-row">
            <button type="submit">Send to {plural(preview.count)}</button>
            <Link href={backToQueue(selection)}>Cancel</Link>
          </div>
        </form>
      )}
    </div>
  );
}
