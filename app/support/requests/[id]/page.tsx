import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { requireRole } from "@/lib/auth/guards";
import { getRequestForAgent, parseId, presenceText, relatedRequests, viewRequest } from "@/lib/support";
import { topicLabels } from "@/lib/support/topics";
import { byteSize, channelLabels, DeskNav, Flash, messageChannelLabel, When, statusLabel } from "../../_lib/format";
import { claimAction, releaseAction, resolveAction } from "../../actions";
import { savedRepliesForRequest, savedReplyForRequest } from "@/lib/support/saved-reply-store";
import { MergeSection, TopicForm } from "./organise-forms";
import { SavedReplyPicker } from "./saved-reply-picker";
import { NoteForm, ReplyForm } from "./thread-forms";

export const metadata: Metadata = { title: "Support request", robots: { index: false } };

export default async function RequestPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ flash?: string; savedReply?: string }>;
}) {
  const { id } = await params;
  const agent = await requireRole("agent", `/support/requests/${encodeURIComponent(id)}`);
  const requestId = parseId(id);
  if (!requestId) notFound();
  const db = await getDb();
  const found = await getRequestForAgent(db, agent.id, requestId);
  if (!found) notFound();
  const { request, messages } = found;
  const merged = request.status === "merged";
  const [viewers, related] = await Promise.all([
    viewRequest(db, agent.id, request.id),
    merged ? null : relatedRequests(db, agent.id, request),
  ]);
  const presence = presenceText(viewers);
  const { flash, savedReply } = await searchParams;
  // A saved reply chosen in the picker (?savedReply=ID), filled for this customer.
  const savedReplyId = parseId(savedReply);
  const [inserted, replies] = await Promise.all([
    savedReplyId && !merged ? savedReplyForRequest(db, agent.id, savedReplyId, request) : null,
    merged ? [] : savedRepliesForRequest(db, agent.id, request),
  ]);
  const mine = request.assignedTo === agent.id;
  // The newest customer message or reply on screen: a reply is refused if a newer one arrives first.
  const seenMessageId = Math.max(0, ...messages.filter((m) => m.kind !== "note").map((m) => m.id));

  return (
    <div className="stack">
      <DeskNav current="other" />
      <h1>Request {request.reference}</h1>
      <Flash code={flash} />
      {presence ? (
        <p className="status status-info" data-testid="presence">
          {presence}
        </p>
      ) : null}
      {merged && request.mergedInto ? (
        <p className="status status-info" data-testid="merged-into">
          This request was merged into{" "}
          <Link href={`/support/requests/${request.mergedInto}`}>{request.mergedIntoReference}</Link>: its messages and
          any email reply to it are there now.
        </p>
      ) : null}
      <dl className="facts">
        <dt>From</dt>
        <dd>
          {request.name} (<span data-testid="customer-address">{request.email}</span>)
          {request.userId ? (
            <>
              {" "}
              · matches an account ·{" "}
              <Link href={`/support/customers/${request.userId}`}>Open the customer&apos;s account</Link>
            </>
          ) : (
            <span className="muted"> · no account uses this address</span>
          )}
        </dd>
        <dt>Came by</dt>
        <dd data-testid="request-channel">{channelLabels[request.channel]}</dd>
        <dt>Received</dt>
        <dd>
          <When at={request.createdAt} />
        </dd>
        <dt>Status</dt>
        <dd>
          <span className="tag">{statusLabel(request.status)}</span>
        </dd>
        <dt>Topic</dt>
        <dd data-testid="request-topic">{topicLabels[request.topic]}</dd>
        <dt>Agent</dt>
        <dd>{mine ? "You" : (request.assigneeEmail ?? "Unassigned")}</dd>
      </dl>

      {merged ? null : (
        <div className="actions-row">
          {request.status !== "resolved" && request.assignedTo === null ? (
            <form action={claimAction}>
              <input type="hidden" name="requestId" value={request.id} />
              <input type="hidden" name="from" value="request" />
              <button type="submit">Claim</button>
            </form>
          ) : null}
          {request.assignedTo !== null && (mine || agent.role === "admin") ? (
            <form action={releaseAction}>
              <input type="hidden" name="requestId" value={request.id} />
              <input type="hidden" name="from" value="request" />
              <button type="submit" className="secondary">
                Release
              </button>
            </form>
          ) : null}
          {request.status !== "resolved" ? (
            <form action={resolveAction}>
              <input type="hidden" name="requestId" value={request.id} />
              <button type="submit" className="secondary">
                Mark resolved
              </button>
            </form>
          ) : null}
        </div>
      )}
      {merged ? null : <TopicForm request={request} />}

      <h2>Conversation</h2>
      {messages.length === 0 ? <p className="muted">No messages on this request.</p> : null}
      <ol className="thread">
        {messages.map((m) => (
          <li key={m.id} className={`panel thread-${m.kind}`}>
            <p className="muted">
              <strong data-testid="message-channel">{messageChannelLabel(m)}</strong>
              {m.kind === "customer"
                ? ` from ${m.fromAddress ?? request.name}`
                : m.authorEmail
                  ? ` by ${m.authorEmail}`
                  : ""}{" "}
              · <When at={m.createdAt} />
              {m.kind === "note" ? " · never shown to the customer" : ""}
            </p>
            {m.subject ? (
              <p>
                <strong>Subject:</strong> <span data-testid="message-subject">{m.subject}</span>
              </p>
            ) : null}
            {/* Email bodies are text: HTML was converted on arrival and is never rendered. */}
            <p className="message-body">{m.body}</p>
            {m.fromHtml ? <p className="muted">Converted to text from the email&apos;s HTML.</p> : null}
            {m.attachments && m.attachments.length > 0 ? (
              <>
                <p className="muted">Attachments (listed only; files are never stored or served here):</p>
                <ul data-testid="attachments">
                  {m.attachments.map((a, i) => (
                    <li key={i}>
                      {a.filename} · {a.contentType} · {byteSize(a.size)}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </li>
        ))}
      </ol>

      {merged ? null : (
        <>
          <h2>Answer</h2>
          <SavedReplyPicker requestId={request.id} replies={replies} selected={inserted ? (savedReplyId ?? undefined) : undefined} />
          {inserted ? (
            <p role="status" className="status status-info">
              Inserted &quot;{inserted.title}&quot; below: read and edit it before sending.
            </p>
          ) : null}
          <ReplyForm requestId={request.id} to={request.email} seenMessageId={seenMessageId} initial={inserted?.text} />
          <h2>Notes for the team</h2>
          <NoteForm requestId={request.id} />
          {related ? <MergeSection request={request} candidates={related.candidates} mergedHere={related.mergedHere} /> : null}
        </>
      )}
    </div>
  );
}
