"use client";
import { useActionState } from "react";
import { TextField } from "@/app/_components/fields";
import { requestResetLinkAction, type ForgotState } from "./actions";

export function ForgotForm() {
  const [state, action, pending] = useActionState<ForgotState, FormData>(requestResetLinkAction, {});
  return (
    <>
      {state.sent ? (
        <p className="status status-ok" role="status">
          If an account exists for that email, we have sent it a link to choose a new password. The link works for one
          hour. It can take a few minutes to arrive; check your spam folder too.
        </p>
      ) : null}
      <form action={action} className="form" noValidate>
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          error={state.fieldErrors?.email}
        />
        <div>
          <button type="submit" disabled={pending}>
            Email me a reset link
          </button>
        </div>
      </form>
    </>
  );
}
