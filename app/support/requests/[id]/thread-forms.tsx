"use client";

import { useActionState } from "react";
import { addNote, sendReply, type ThreadFormState } from "./actions";

function TextForm(props: {
  requestId: number;
  name: "reply" | "note";
  label: string;
  hint: string;
  button: string;
  /** the text the box starts with (a saved reply inserted by the picker) */
  initial?: string;
  action: (prev: ThreadFormState, data: FormData) => Promise<ThreadFormState>;
}) {
  const [state, formAction, pending] = useActionState<ThreadFormState, FormData>(props.action, {});
  const id = `${props.name}-field`;
  return (
    <form action={formAction} className="form">
      <input type="hidden" name="requestId" value={props.requestId} />
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

export function ReplyForm({ requestId, to, initial }: { requestId: number; to: string; initial?: string }) {
  return (
    <TextForm
      requestId={requestId}
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
