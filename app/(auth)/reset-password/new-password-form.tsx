"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { startTransition, useActionState, useMemo, useRef } from "react";
import { useForm, useWatch } from "react-hook-form";
import { FormError, PasswordField } from "@/app/_components/fields";
import { codePointLength, newPasswordSchema, normalizePassword, type NewPasswordInput } from "@/lib/passwords/policy";
import { setNewPasswordAction, type ResetState } from "./actions";

function strength(password: string, minLength: number, problems: number): { value: number; text: string } {
  const length = codePointLength(normalizePassword(password));
  if (length === 0) return { value: 0, text: `Use at least ${minLength} characters. A few unrelated words make a strong, memorable password.` };
  if (problems > 0 || length < minLength) return { value: 1, text: "Too weak yet." };
  if (length < minLength + 5) return { value: 2, text: "Good. A few more characters make it stronger." };
  return { value: 3, text: "Strong." };
}

export function NewPasswordForm({ minLength, email, brandName }: { minLength: number; email: string; brandName: string }) {
  const schema = useMemo(() => newPasswordSchema(minLength, { email, brandName }), [minLength, email, brandName]);
  const [state, action, pending] = useActionState<ResetState, FormData>(setNewPasswordAction, {});
  const formRef = useRef<HTMLFormElement>(null);
  const {
    register,
    handleSubmit,
    control,
    formState: { errors },
  } = useForm<NewPasswordInput>({ resolver: zodResolver(schema), mode: "onTouched" });
  const password = useWatch({ control, name: "password" }) ?? "";
  const hint = strength(password, minLength, errors.password ? 1 : 0);

  const passwordError = errors.password?.message ?? state.fieldErrors?.password?.[0];
  const confirmError = errors.confirm?.message ?? state.fieldErrors?.confirm?.[0];

  return (
    <form
      ref={formRef}
      action={action}
      className="form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void handleSubmit(() => {
          startTransition(() => action(new FormData(formRef.current!)));
        })(event);
      }}
    >
      <FormError message={state.formError} />
      <PasswordField
        label="New password"
        autoComplete="new-password"
        required
        hint={`At least ${minLength} characters. Spaces and any characters are welcome; avoid anything you used before.`}
        error={passwordError}
        {...register("password")}
      >
        <div className="strength" aria-live="polite">
          <meter min={0} max={3} low={2} high={3} optimum={3} value={hint.value} aria-label="Password strength" />
          <p className="hint">{hint.text}</p>
        </div>
      </PasswordField>
      <PasswordField
        label="Confirm new password"
        autoComplete="new-password"
        required
        error={confirmError}
        {...register("confirm")}
      />
      <div>
        <button type="submit" disabled={pending}>
          Set new password
        </button>
      </div>
    </form>
  );
}
