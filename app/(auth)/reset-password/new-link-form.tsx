"use client";
import { useActionState } from "react";
import { sendNewLinkAction, type NewLinkState } from "./actions";

export function NewLinkForm() {
  const [state, action, pending] = useActionState<NewLinkState>(sendNewLinkAction, {});
  if (state.sent) {
    return (
      <p className="status status-ok" role="status">
        We have sent a new link to the email address on file. Check your inbox.
      </p>
    );
  }
  return (
    <form action={action}>
      <button type="submit" disabled={pending}>
        Send me a new link
      </button>
    </form>
  );
}
