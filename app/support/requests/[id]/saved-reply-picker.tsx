// "Insert a saved reply": a GET form that reloads the request page with
// ?savedReply=ID, which fills the reply box with that reply for this customer
// (name and reference filled in), to be edited before sending. No JavaScript needed.
import type { SavedReplyRow } from "@/lib/support/saved-reply-store";

export function SavedReplyPicker({
  requestId,
  replies,
  selected,
}: {
  requestId: number;
  replies: SavedReplyRow[];
  selected?: number;
}) {
  if (replies.length === 0) return null;
  return (
    <form method="get" action={`/support/requests/${requestId}`} className="actions-row">
      <div className="field">
        {/* Not "reply": the SPEC's field "Reply" must stay the only label with that word. */}
        <label htmlFor="saved-reply">Saved answer</label>
        <select id="saved-reply" name="savedReply" defaultValue={selected ? String(selected) : undefined}>
          {replies.map((r) => (
            <option key={r.id} value={r.id}>
              {r.title}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="secondary">
        Insert saved answer
      </button>
    </form>
  );
}
