// Topic and merge on a request page: plain forms, so they work without JavaScript.
import Link from "next/link";
import type { RelatedRequest, RequestDetail } from "@/lib/support";
import { topicKeys, topicLabels } from "@/lib/support/topics";
import { When, statusLabel } from "../../_lib/format";
import { changeTopicAction, mergeAction } from "./organise-actions";

export function TopicForm({ request }: { request: Pick<RequestDetail, "id" | "topic"> }) {
  return (
    <form action={changeTopicAction} className="actions-row">
      <input type="hidden" name="requestId" value={request.id} />
      <div className="field">
        <label htmlFor="topic">Topic</label>
        <select id="topic" name="topic" defaultValue={request.topic}>
          {topicKeys.map((t) => (
            <option key={t} value={t}>
              {topicLabels[t]}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="secondary">
        Change topic
      </button>
    </form>
  );
}

function MergeButton(props: { requestId: number; mergedId: number; survivorId: number; label: string; secondary?: boolean }) {
  return (
    <form action={mergeAction}>
      <input type="hidden" name="requestId" value={props.requestId} />
      <input type="hidden" name="mergedId" value={props.mergedId} />
      <input type="hidden" name="survivorId" value={props.survivorId} />
      <button type="submit" className={props.secondary ? "secondary" : undefined}>
        {props.label}
      </button>
    </form>
  );
}

export function MergeSection({
  request,
  candidates,
  mergedHere,
}: {
  request: Pick<RequestDetail, "id" | "reference" | "email">;
  candidates: RelatedRequest[];
  mergedHere: RelatedRequest[];
}) {
  return (
    <section aria-labelledby="merge-heading" className="stack">
      <h2 id="merge-heading">Merge</h2>
      {mergedHere.length > 0 ? (
        <p>
          Merged into this request:{" "}
          {mergedHere.map((r, i) => (
            <span key={r.id}>
              {i > 0 ? ", " : ""}
              <Link href={`/support/requests/${r.id}`}>{r.reference}</Link>
            </span>
          ))}
          .
        </p>
      ) : null}
      {candidates.length === 0 ? (
        <p className="muted">No other request from {request.email} to merge with.</p>
      ) : (
        <>
          <p className="muted">
            Other requests from {request.email}. Merging moves every message to one request, in time order; the other
            request then points to it, and email replies to either land there.
          </p>
          <div className="table-wrap">
            <table aria-labelledby="merge-heading">
              <thead>
                <tr>
                  <th scope="col">Request</th>
                  <th scope="col">Received</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="sr-only">Merge</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {candidates.map((c) => (
                  <tr key={c.id}>
                    <td>
                      <Link href={`/support/requests/${c.id}`}>{c.reference}</Link> · {topicLabels[c.topic]}
                    </td>
                    <td>
                      <When at={c.createdAt} />
                    </td>
                    <td>{statusLabel(c.status)}</td>
                    <td className="actions-row">
                      <MergeButton requestId={request.id} mergedId={c.id} survivorId={request.id} label={`Merge ${c.reference} into this request`} />
                      <MergeButton requestId={request.id} mergedId={request.id} survivorId={c.id} label={`Merge this request into ${c.reference}`} secondary />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
