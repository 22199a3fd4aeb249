"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { startTransition, useActionState, useMemo, useRef, useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import type { z } from "zod";
import { suggestionsFor, type FaqEntry, type TopicWords } from "@/lib/support/self-service";
import { contactSchema } from "@/lib/support/text";
import { sendContactMessage, type ContactState } from "./actions";
import { SuggestionList } from "./suggestions";

type Input = z.input<typeof contactSchema>;
type Output = z.output<typeof contactSchema>;

const fields = [
  { name: "email", label: "Email", type: "email", autoComplete: "email", hint: "We answer at this address." },
  { name: "name", label: "Name", type: "text", autoComplete: "name", hint: null },
] as const;

type Props = {
  /** the published notice's questions and answers, for the suggestions */
  faq: FaqEntry[];
  topics: { key: string; label: string }[];
  topicWords: TopicWords;
};

export function ContactForm({ faq, topics, topicWords }: Props) {
  const [state, formAction, pending] = useActionState<ContactState, FormData>(sendContactMessage, { status: "idle" });
  const formRef = useRef<HTMLFormElement>(null);
  const values = state.status === "invalid" || state.status === "suggest" ? state.values : undefined;
  const form = useForm<Input, unknown, Output>({
    resolver: zodResolver(contactSchema),
    mode: "onTouched",
    defaultValues: values ? { email: values.email, name: values.name, message: values.message } : { email: "", name: "", message: "" },
  });
  // Suggestions as the customer writes (and, rendered on the server, after a
  // submission without JavaScript): the same function either way.
  const [topic, setTopic] = useState(values?.topic ?? "");
  const message = useWatch({ control: form.control, name: "message" }) ?? "";
  const suggestions = useMemo(() => suggestionsFor({ topic, message }, faq, topicWords), [topic, message, faq, topicWords]);
  const suggesting = state.status === "suggest";
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
          const data = new FormData(formRef.current!);
          // The suggestions were on screen while typing: this is the send.
          data.set("intent", "send");
          startTransition(() => formAction(data));
        })(event);
      }}
    >
      {suggesting ? <input type="hidden" name="intent" value="send" /> : null}
      <div className="field">
        <label htmlFor="topic">What is it about?</label>
        <select
          id="topic"
          name="topic"
          value={topic}
          onChange={(e) => setTopic(e.target.value)}
          aria-invalid={serverErrors.topic ? true : undefined}
          aria-describedby={serverErrors.topic ? "topic-error" : undefined}
        >
          <option value="">Choose a topic (optional)</option>
          {topics.map((t) => (
            <option key={t.key} value={t.key}>
              {t.label}
            </option>
          ))}
        </select>
        {serverErrors.topic ? (
          <p id="topic-error" className="field-error">
            {serverErrors.topic}
          </p>
        ) : null}
      </div>
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
              // In the server's HTML too: kept after a submission without JavaScript.
              defaultValue={values?.[field.name]}
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
          defaultValue={values?.message}
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
      <div aria-live="polite">
        {suggestions.length > 0 ? (
          <section aria-labelledby="suggestions-heading" className="stack">
            <h2 id="suggestions-heading">Answers that may help</h2>
            {suggesting ? (
              <p>
                Before we send your message: one of these may answer your question straight away. If not, choose
                &quot;Send anyway&quot; and a person will answer.
              </p>
            ) : null}
            <SuggestionList suggestions={suggestions} />
          </section>
        ) : null}
      </div>
      <div>
        <button type="submit" disabled={pending}>
          {pending ? "Sending…" : suggesting ? "Send anyway" : "Send message"}
        </button>
      </div>
    </form>
  );
}
