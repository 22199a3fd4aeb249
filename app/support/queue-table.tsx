// One page of the queue. Each row's checkbox belongs to the bulk-select form
// (form="bulk-select"), so it can sit beside the row's own Claim and Release
// forms without nesting forms.
import Link from "next/link";
import type { SessionUser } from "@/lib/auth/guards";
import type { QueueCursor, QueueQuery, QueueView } from "@/lib/support";
import { topicLabels } from "@/lib/support/topics";
import { channelLabels, filterLabels, When, statusLabel } from "./_lib/format";
import { claimAction, releaseAction } from "./actions";

/** Hidden inputs that carry a queue view (filter, topic, search) to an action or a page. */
export function ViewFields({ query }: { query: QueueQuery }) {
  return (
    <>
      <input type="hidden" name="filter" value={query.filter} />
      {query.topic ? <input type="hidden" name="topic" value={query.topic} /> : null}
      {query.q ? <input type="hidden" name="q" value={query.q} /> : null}
    </>
  );
}

/** Hidden inputs that bring an action back to this view and page. */
function BackToView({ view, cursor }: { view: QueueView; cursor: QueueCursor }) {
  return (
    <>
      <ViewFields query={view.query} />
      {cursor.after ? <input type="hidden" name="after" value={cursor.after} /> : null}
      {cursor.before ? <input type="hidden" name="before" value={cursor.before} /> : null}
    </>
  );
}

export function QueueTable({
  agent,
  view,
  cursor,
}: {
  agent: Pick<SessionUser, "id" | "role">;
  view: QueueView;
  cursor: QueueCursor;
}) {
  const { filter, topic, q } = view.query;
  if (view.rows.length === 0) {
    return <p>No {filterLabels[filter].toLowerCase()} requests{topic || q ? " in this view" : ""}{view.previous !== null ? " on this page" : ""}.</p>;
  }
  return (
    <div className="table-wrap">
      <table aria-labelledby="requests-heading">
        <caption className="muted">
          {filterLabels[filter]} requests{topic ? ` about “${topicLabels[topic]}”` : ""}
          {q ? ` matching “${q}”` : ""}, oldest first
        </caption>
        <thead>
          <tr>
            <th scope="col">
              <span className="sr-only">Select</span>
            </th>
            <th scope="col">Reference</th>
            <th scope="col">From</th>
            <th scope="col">Topic</th>
            <th scope="col">Received</th>
            <th scope="col">Status</th>
            <th scope="col">Agent</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {view.rows.map((row) => (
            <tr key={row.id}>
              <td>
                <input type="checkbox" name="request" value={row.id} form="bulk-select" aria-label={`Select ${row.reference}`} />
              </td>
              <td>
                <Link href={`/support/requests/${row.id}`}>{row.reference}</Link>{" "}
                <span className="tag" data-testid="request-channel">
                  {channelLabels[row.channel]}
                </span>
              </td>
              <td>
                {row.name}
                <br />
                <span className="muted">{row.email}</span>
              </td>
              <td>{topicLabels[row.topic]}</td>
              <td>
                <When at={row.createdAt} />
              </td>
              <td>
                <span className="tag">{statusLabel(row.status)}</span>
              </td>
              <td>{row.assignedTo === agent.id ? "You" : (row.assigneeEmail ?? "Unassigned")}</td>
              <td>
                {row.status === "resolved" ? null : row.assignedTo === null ? (
                  <form action={claimAction}>
                    <input type="hidden" name="requestId" value={row.id} />
                    <BackToView view={view} cursor={cursor} />
                    <button type="submit" aria-label={`Claim ${row.reference}`}>
                      Claim
                    </button>
                  </form>
                ) : row.assignedTo === agent.id || agent.role === "admin" ? (
                  <form action={releaseAction}>
                    <input type="hidden" name="requestId" value={row.id} />
                    <BackToView view={view} cursor={cursor} />
                    <button type="submit" className="secondary" aria-label={`Release ${row.reference}`}>
                      Release
                    </button>
                  </form>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
