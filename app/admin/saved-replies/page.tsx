import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { requireRole } from "@/lib/auth/guards";
import { MarkdownView } from "@/lib/incident/markdown-view";
import { parseId } from "@/lib/support";
import { fillPlaceholders, PREVIEW_VALUES } from "@/lib/support/saved-replies";
import { listSavedReplies } from "@/lib/support/saved-reply-store";
import { topicKeys, topicLabels } from "@/lib/support/topics";
import { When } from "../../support/_lib/format";
import "../../support/desk.css";
import { archiveSavedReplyAction } from "./actions";
import { SavedReplyForm } from "./saved-reply-form";

export const metadata: Metadata = { title: "Saved replies", robots: { index: false } };

const topics = topicKeys.map((key) => ({ key, label: topicLabels[key] }));

export default async function SavedRepliesPage({
  searchParams,
}: {
  searchParams: Promise<{ edit?: string; saved?: string; archived?: string; missing?: string }>;
}) {
  const admin = await requireRole("admin", "/admin/saved-replies");
  const params = await searchParams;
  const replies = await listSavedReplies(await getDb(), admin.id, { includeArchived: true });
  const live = replies.filter((r) => !r.archivedAt);
  const archived = replies.filter((r) => r.archivedAt);
  const editing = live.find((r) => r.id === parseId(params.edit));
  const flash = params.saved
    ? { ok: true, text: "The saved reply is saved." }
    : params.archived
      ? { ok: true, text: "The saved reply is archived: agents no longer see it." }
      : params.missing
        ? { ok: false, text: "That saved reply does not exist or is already archived." }
        : null;

  return (
    <div className="stack">
      <h1>Saved replies</h1>
      <p>
        Answers agents insert into a reply or send to many requests at once. Each customer gets the text with their own
        name and request reference filled in.
      </p>
      {flash ? (
        <p role="status" className={`status ${flash.ok ? "status-ok" : "status-bad"}`}>
          {flash.text}
        </p>
      ) : null}

      <section className="stack" aria-labelledby="editor-heading" id="editor">
        <h2 id="editor-heading">{editing ? `Edit "${editing.title}"` : "New saved reply"}</h2>
        {editing ? <Link href="/admin/saved-replies">Write a new one instead</Link> : null}
        <SavedReplyForm
          key={editing?.id ?? "new"}
          id={editing?.id}
          initial={editing ? { title: editing.title, body: editing.body, topic: editing.topic ?? "" } : { title: "", body: "", topic: "" }}
          topics={topics}
        />
      </section>

      <section className="stack" aria-labelledby="live-heading">
        <h2 id="live-heading">In use ({live.length})</h2>
        {live.length === 0 ? <p>No saved replies yet.</p> : null}
        {live.map((reply) => (
          <article key={reply.id} className="panel stack" aria-labelledby={`reply-${reply.id}-title`}>
            <h3 id={`reply-${reply.id}-title`}>{reply.title}</h3>
            <p className="muted">
              {reply.topic ? `For "${topicLabels[reply.topic]}"` : "Any topic"} · edited <When at={reply.updatedAt} />
            </p>
            <details>
              <summary>Preview of {reply.title}</summary>
              <MarkdownView source={fillPlaceholders(reply.body, PREVIEW_VALUES)} />
            </details>
            <div className="actions-row">
              <Link href={`/admin/saved-replies?edit=${reply.id}#editor`} aria-label={`Edit ${reply.title}`}>
                Edit
              </Link>
              <form action={archiveSavedReplyAction}>
                <input type="hidden" name="id" value={reply.id} />
                <button type="submit" className="secondary" aria-label={`Archive ${reply.title}`}>
                  Archive
                </button>
              </form>
            </div>
          </article>
        ))}
      </section>

      {archived.length > 0 ? (
        <section className="stack" aria-labelledby="archived-heading">
          <h2 id="archived-heading">Archived ({archived.length})</h2>
          <ul>
            {archived.map((reply) => (
              <li key={reply.id}>
                {reply.title} <span className="muted">· archived <When at={reply.archivedAt} /></span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
