"use client";
import { useActionState } from "react";
import { emailMeALinkAction, type ExpiredState } from "./actions";

export function EmailLinkForm({ maskedEmail }: { maskedEmail: string }) {
  const [state, action, pending] = useActionState<ExpiredState>(emailMeALinkAction, {});
  return (
    <>
      {state.sent ? (
        <p className="status status-ok" role="status">
          We have sent a link to {maskedEmail}. Open it to choose a new password; it works for one hour.
        </p>
      ) : null}
      <form action={action}>
        <button type="submit" disabled={pending}>
          Email me a reset link
        </button>
      </form>
    </>
  );
}
