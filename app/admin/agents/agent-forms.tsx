"use client";

import { useActionState } from "react";
import { disable, invite, type AgentFormState } from "./actions";

function Status({ state }: { state: AgentFormState }) {
  return (
    <div role="status" aria-live="polite">
      {state.message ? <p className={`status ${state.ok ? "status-ok" : "status-bad"}`}>{state.message}</p> : null}
    </div>
  );
}

export function InviteForm() {
  const [state, formAction, pending] = useActionState<AgentFormState, FormData>(invite, {});
  const emailError = state.fieldErrors?.email;
  return (
    <form action={formAction} className="form narrow" key={state.ok ? state.message : "invite"}>
      <div className="field">
        <label htmlFor="agent-email">Email</label>
        <input
          id="agent-email"
          name="email"
          type="email"
          required
          maxLength={254}
          autoComplete="off"
          aria-invalid={emailError ? true : undefined}
          aria-describedby={emailError ? "agent-email-error" : undefined}
        />
        {emailError ? (
          <p id="agent-email-error" className="field-error">
            {emailError}
          </p>
        ) : null}
      </div>
      <div className="field">
        <label htmlFor="agent-name">Name (optional)</label>
        <input id="agent-name" name="name" type="text" maxLength={200} autoComplete="off" />
      </div>
      <div>
        <button type="submit" disabled={pending}>
          Invite agent
        </button>
      </div>
      <Status state={state} />
    </form>
  );
}

/** An agent's state cell: the Disable button, then what happened (kept across the refresh). */
export function AgentState({ agentId, email, disabled }: { agentId: number; email: string; disabled: string | null }) {
  const [state, formAction, pending] = useActionState<AgentFormState, FormData>(disable, {});
  if (disabled || state.ok) {
    return (
      <>
        <span className="tag">Disabled</span>
        <Status state={state} />
      </>
    );
  }
  return (
    <form action={formAction}>
      <input type="hidden" name="agentId" value={agentId} />
      <button type="submit" className="button-danger" disabled={pending} aria-label={`Disable ${email}`}>
        Disable
      </button>
      <Status state={state} />
    </form>
  );
}
