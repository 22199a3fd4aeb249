"use client";
// Create or edit a saved reply: react-hook-form with the shared zod schema, a
// live preview (the notice's safe Markdown renderer, placeholders filled with
// sample values) and, without JavaScript, a "Preview" button that shows the
// same preview from the server.
import { zodResolver } from "@hookform/resolvers/zod";
import { startTransition, useActionState, useMemo, useRef } from "react";
import { useForm, useWatch } from "react-hook-form";
import { MarkdownView } from "@/lib/incident/markdown-view";
import { savedReplySchemaFor } from "@/lib/support/saved-reply-schema";
import { fillPlaceholders, PLACEHOLDERS, PREVIEW_VALUES } from "@/lib/support/saved-replies";
import { saveSavedReplyAction, type SavedReplyFormState, type SavedReplyFormValues } from "./actions";

type Props = {
  id?: number;
  initial: SavedReplyFormValues;
  topics: { key: string; label: string }[];
};

export function SavedReplyForm({ id, initial, topics }: Props) {
  const [state, formAction, pending] = useActionState<SavedReplyFormState, FormData>(saveSavedReplyAction, {});
  const formRef = useRef<HTMLFormElement>(null);
  const schema = useMemo(() => savedReplySchemaFor(topics.map((t) => t.key) as [string, ...string[]]), [topics]);
  const start = state.values ?? initial;
  const form = useForm<SavedReplyFormValues, unknown, unknown>({
    resolver: zodResolver(schema) as never,
    mode: "onTouched",
    defaultValues: start,
  });
  const body = useWatch({ control: form.control, name: "body" }) ?? "";
  const prefix = id ? `reply-${id}` : "new-reply";
  const errorOf = (name: keyof SavedReplyFormValues) => form.formState.errors[name]?.message ?? state.fieldErrors?.[name];
  const described = (name: keyof SavedReplyFormValues, hint?: string) => {
    const error = errorOf(name);
    const ids = [hint, error ? `${prefix}-${name}-error` : null].filter(Boolean).join(" ");
    return { "aria-invalid": error ? true : undefined, "aria-describedby": ids || undefined };
  };
  const fieldError = (name: keyof SavedReplyFormValues) =>
    errorOf(name) ? (
      <p id={`${prefix}-${name}-error`} className="field-error">
        {errorOf(name)}
      </p>
    ) : null;
  const previewSource = state.preview ?? body;

  return (
    <form
      ref={formRef}
      action={formAction}
      noValidate
      className="form"
      onSubmit={(event) => {
        event.preventDefault();
        const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
        const data = new FormData(formRef.current!, submitter);
        if (data.get("intent") === "preview") return; // the preview is already live
        void form.handleSubmit(() => startTransition(() => formAction(data)))(event);
      }}
    >
      {id ? <input type="hidden" name="id" value={id} /> : null}
      <div className="field">
        <label htmlFor={`${prefix}-title`}>Title</label>
        <input
          id={`${prefix}-title`}
          type="text"
          maxLength={120}
          required
          // In the server's HTML too: the form works before (and without) JavaScript.
          defaultValue={start.title}
          {...described("title")}
          {...form.register("title")}
        />
        {fieldError("title")}
      </div>
      <div className="field">
        <label htmlFor={`${prefix}-topic`}>Topic (optional)</label>
        <p id={`${prefix}-topic-hint`} className="hint">
          Offered first for requests about this topic.
        </p>
        <select id={`${prefix}-topic`} defaultValue={start.topic} {...described("topic", `${prefix}-topic-hint`)} {...form.register("topic")}>
          <option value="">Any topic</option>
          {topics.map((t) => (
            <option key={t.key} value={t.key}>
              {t.label}
            </option>
          ))}
        </select>
        {fieldError("topic")}
      </div>
      <div className="field">
        <label htmlFor={`${prefix}-body`}>Text</label>
        <p id={`${prefix}-body-hint`} className="hint">
          The notice&apos;s Markdown: paragraphs, - lists, **bold**, *italic*, [links](https://…). Placeholders, filled
          for each customer: {PLACEHOLDERS.map((p) => `{{${p}}}`).join(", ")}.
        </p>
        <textarea
          id={`${prefix}-body`}
          rows={10}
          maxLength={10000}
          required
          defaultValue={start.body}
          {...described("body", `${prefix}-body-hint`)}
          {...form.register("body")}
        />
        {fieldError("body")}
      </div>
      <section className="panel" aria-labelledby={`${prefix}-preview`}>
        <h3 id={`${prefix}-preview`}>Preview</h3>
        <p className="hint">As a customer named {PREVIEW_VALUES.name} with request {PREVIEW_VALUES.reference} reads it.</p>
        <div data-testid="saved-reply-preview">
          {previewSource.trim() ? <MarkdownView source={fillPlaceholders(previewSource, PREVIEW_VALUES)} /> : <p className="muted">Nothing yet.</p>}
        </div>
      </section>
      <div className="actions-row">
        <button type="submit" name="intent" value="save" disabled={pending}>
          {id ? "Save changes" : "Save reply"}
        </button>
        <button type="submit" name="intent" value="preview" className="secondary">
          Preview
        </button>
      </div>
      <div role="status" aria-live="polite">
        {state.error ? <p className="status status-bad">{state.error}</p> : null}
      </div>
    </form>
  );
}
