"use client";
import { useActionState } from "react";
import { FormError, PasswordField, TextField } from "@/app/_components/fields";
import { signInAction, type SignInState } from "./actions";

export function SignInForm({ next }: { next?: string }) {
  const [state, action, pending] = useActionState<SignInState, FormData>(signInAction, {});
  return (
    <form action={action} className="form" noValidate>
      <FormError message={state.formError} />
      <input type="hidden" name="next" value={next ?? ""} />
      <TextField
        label="Email"
        name="email"
        type="email"
        autoComplete="username webauthn"
        required
        defaultValue={state.email}
        key={state.email}
      />
      <PasswordField label="Password" name="password" autoComplete="current-password" required />
      <div>
        <button type="submit" disabled={pending}>
          Sign in
        </button>
      </div>
    </form>
  );
}
