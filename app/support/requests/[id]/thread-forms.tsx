"use client";

import { useActionState } from "react";
import { addNote, sendReply, type NewerShown, type ThreadFormState } from "./actions";

function TextForm(props: {
  requestId: number;
  name: "reply" | "note";
  label: string;
  hint: string;
  button: string;
  /** the text the box starts with (a saved reply inserted by the picker) */
  initial?: string;
  action: (prev: ThreadFormState, data: FormData) => Promise<ThreadFormState>;
  /** extra hidden fields (the reply's newest message seen) */
  hidden?: Record<string, string>;
}) {
  const [state, formAction, pending] = useActionState<ThreadFormState, FormData>(props.action, {});
  const id = `${props.name}-field`;
  return (
    <form action={formAction} className="form">
      <input type="hidden" name="requestId" value={props.requestId} />
      {Object.entries(props.hidden ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <div className="field">
        <label htmlFor={id}>{props.label}</label>
        <p id={`${id}-hint`} className="hint">
          {props.hint}
        </p>
        <textarea
          // A fresh textarea after each answer: empty after success, the text kept after an error.
          key={JSON.stringify(state)}
          id={id}
          name={props.name}
          required
          maxLength={10000}
          defaultValue={state.ok ? "" : (state.value ?? props.initial ?? "")}
          aria-invalid={state.error ? true : undefined}
          aria-describedby={state.error ? `${id}-hint ${id}-error` : `${id}-hint`}
        />
        {state.error ? (
          <p id={`${id}-error`} className="field-error">
            {state.error}
          </p>
        ) : null}
        {state.newer?.length ? <NewerMessages messages={state.newer} /> : null}
      </div>
      <div>
        <button type="submit" disabled={pending}>
          {props.button}
        </button>
      </div>
      <div role="status" aria-live="polite">
        {state.ok ? <p className="status status-ok">{state.message}</p> : null}
      </div>
    </form>
  );
}

/** What arrived after the page was loaded, beside the refused reply (the thread above shows it too). */
function NewerMessages({ messages }: { messages: NewerShown[] }) {
  return (
    <section aria-label="New since you opened this request" className="stack">
      <p className="hint">New since you opened this request:</p>
      <ol className="thread">
        {messages.map((m) => (
          <li key={m.id} className="panel">
            <p className="muted">
              <strong>{m.kind === "customer" ? "Customer" : "Agent reply"}</strong> from {m.from} ·{" "}
              <time dateTime={m.at}>{m.at.slice(0, 16).replace("T", " ")} UTC</time>
            </p>
            <p className="message-body">{m.body}</p>
          </li>
        ))}
      </ol>
    </section>
  );
}

export function ReplyForm({
  requestId,
  to,
  seenMessageId,
  initial,
}: {
  requestId: number;
  to: string;
  seenMessageId: number;
  initial?: string;
}) {
  return (
    <TextForm
      requestId={requestId}
      hidden={{ seen: String(seenMessageId) }}
      initial={initial}
      name="reply"
      label="Reply"
      hint={`Emailed to ${to}. Never ask for a password, and never treat name, address, phone or card digits as proof of identity.`}
      button="Send reply"
      action={sendReply}
    />
  );
}

export function NoteForm({ requestId }: { requestId: number }) {
  return (
    <TextForm
      requestId={requestId}
      name="note"
      label="Internal note"
      hint="Seen by agents only: never emailed, never shown to the customer."
      button="Add note"
      action={addNote}
    />
  );
}
