"use client";

import { useActionState } from "react";
import { endCustomerSessions, type EndSessionsState } from "./actions";

export function EndSessionsForm({ customerId }: { customerId: number }) {
  const [state, formAction, pending] = useActionState<EndSessionsState, FormData>(endCustomerSessions, {});
  return (
    <form action={formAction} className="form">
      <input type="hidden" name="customerId" value={customerId} />
      <p id="end-sessions-hint" className="hint">
        Signs the customer out on every device at its next page. Their password stays as it is.
      </p>
      <div>
        <button type="submit" disabled={pending} aria-describedby="end-sessions-hint">
          End all sessions
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
