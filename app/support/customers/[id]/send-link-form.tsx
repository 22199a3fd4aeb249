"use client";

import { useActionState } from "react";
import { sendResetLink, type SendLinkState } from "./actions";

export function SendLinkForm({ customerId, lifetime }: { customerId: number; lifetime: string }) {
  const [state, formAction, pending] = useActionState<SendLinkState, FormData>(sendResetLink, {});
  return (
    <form action={formAction} className="form">
      <input type="hidden" name="customerId" value={customerId} />
      <p id="send-link-hint" className="hint">
        Sends a one-time link, valid for {lifetime}, to the email on file only. You never see the link.
      </p>
      <div>
        <button type="submit" disabled={pending} aria-describedby="send-link-hint">
          Send reset link
        </button>
      </div>
      <div role="status" aria-live="polite">
        {state.message ? (
          <p className={`status ${state.ok ? "status-ok" : "status-bad"}`}>{state.message}</p>
        ) : null}
      </div>
    </form>
  );
}
