"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { startTransition, useActionState, useRef } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { contactSchema } from "@/lib/support/text";
import { sendContactMessage, type ContactState } from "./actions";

type Input = z.input<typeof contactSchema>;
type Output = z.output<typeof contactSchema>;

const fields = [
  { name: "email", label: "Email", type: "email", autoComplete: "email", hint: "We answer at this address." },
  { name: "name", label: "Name", type: "text", autoComplete: "name", hint: null },
] as const;

export function ContactForm() {
  const [state, formAction, pending] = useActionState<ContactState, FormData>(sendContactMessage, { status: "idle" });
  const formRef = useRef<HTMLFormElement>(null);
  const form = useForm<Input, unknown, Output>({
    resolver: zodResolver(contactSchema),
    mode: "onTouched",
    defaultValues: state.status === "invalid" ? state.values : { email: "", name: "", message: "" },
  });
  const errors = form.formState.errors;
  const serverErrors = state.status === "invalid" ? state.fieldErrors : {};
  const errorOf = (name: keyof Input) => errors[name]?.message ?? serverErrors[name];

  if (state.status === "sent") {
    return (
      <div role="status" className="status status-ok">
        <p>
          Thank you: we received your message. Your request reference is <strong>{state.reference}</strong>.
        </p>
        <p>We sent a confirmation to the address you gave and will answer there.</p>
      </div>
    );
  }

  return (
    <form
      ref={formRef}
      action={formAction}
      noValidate
      className="form"
      onSubmit={(event) => {
        event.preventDefault();
        void form.handleSubmit(() => {
          startTransition(() => formAction(new FormData(formRef.current!)));
        })(event);
      }}
    >
      {fields.map((field) => {
        const error = errorOf(field.name);
        const describedBy = [field.hint ? `${field.name}-hint` : null, error ? `${field.name}-error` : null]
          .filter(Boolean)
          .join(" ");
        return (
          <div className="field" key={field.name}>
            <label htmlFor={field.name}>{field.label}</label>
            {field.hint ? (
              <p id={`${field.name}-hint`} className="hint">
                {field.hint}
              </p>
            ) : null}
            <input
              id={field.name}
              type={field.type}
              autoComplete={field.autoComplete}
              maxLength={field.name === "email" ? 254 : 200}
              required
              aria-invalid={error ? true : undefined}
              aria-describedby={describedBy || undefined}
              {...form.register(field.name)}
            />
            {error ? (
              <p id={`${field.name}-error`} className="field-error">
                {error}
              </p>
            ) : null}
          </div>
        );
      })}
      <div className="field">
        <label htmlFor="message">Message</label>
        <p id="message-hint" className="hint">
          Tell us what happened. Never send us your password or card number: we will never ask for them.
        </p>
        <textarea
          id="message"
          maxLength={5000}
          required
          aria-invalid={errorOf("message") ? true : undefined}
          aria-describedby={errorOf("message") ? "message-hint message-error" : "message-hint"}
          {...form.register("message")}
        />
        {errorOf("message") ? (
          <p id="message-error" className="field-error">
            {errorOf("message")}
          </p>
        ) : null}
      </div>
      <div>
        <button type="submit" disabled={pending}>
          {pending ? "Sending…" : "Send message"}
        </button>
      </div>
    </form>
  );
}
