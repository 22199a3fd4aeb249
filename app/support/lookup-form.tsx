"use client";

import { useActionState } from "react";
import { lookupCustomer, type LookupState } from "./actions";

export function LookupForm() {
  const [state, formAction, pending] = useActionState<LookupState, FormData>(lookupCustomer, {});
  return (
    <form action={formAction} className="form narrow" role="search" aria-label="Find a customer">
      <div className="field">
        <label htmlFor="customer-email">Customer email</label>
        <input
          id="customer-email"
          name="email"
          type="email"
          required
          maxLength={254}
          autoComplete="off"
          aria-invalid={state.error ? true : undefined}
          aria-describedby={state.error ? "customer-email-error" : undefined}
        />
        {state.error ? (
          <p id="customer-email-error" className="field-error" role="alert">
            {state.error}
          </p>
        ) : null}
      </div>
      <div>
        <button type="submit" disabled={pending}>
          Find customer
        </button>
      </div>
    </form>
  );
}
