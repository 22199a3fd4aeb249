"use client";
// The notice editor: react-hook-form with the shared zod schema, a live
// preview through the same safe renderer as the public page, and "Publish".
import { zodResolver } from "@hookform/resolvers/zod";
import { useState, useTransition } from "react";
import { useFieldArray, useForm, useWatch, type FieldPath } from "react-hook-form";
import {
  MAX_FAQ,
  SECTION_HEADINGS,
  SECTION_KEYS,
  noticeFormSchema,
  type NoticeFormInput,
  type NoticeFormValues,
} from "@/lib/incident/notice-schema";
import { NoticeDocument } from "@/app/(public)/notice/notice-document";
import { publishNoticeAction } from "./actions";

type Props = { initial: NoticeFormInput; updates: { id: number; postedAt: string; body: string }[] };

const toIso = (day: string) => (/^\d{4}-\d{2}-\d{2}$/.test(day) && !Number.isNaN(Date.parse(day)) ? `${day}T00:00:00.000Z` : null);

function FieldError({ id, message }: { id: string; message?: string }) {
  return message ? (
    <p id={id} className="field-error">
      {message}
    </p>
  ) : null;
}

export function NoticeEditor({ initial, updates }: Props) {
  const [showPreview, setShowPreview] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const form = useForm<NoticeFormInput, unknown, NoticeFormValues>({
    resolver: zodResolver(noticeFormSchema),
    defaultValues: initial,
    mode: "onBlur",
  });
  const { register, control, handleSubmit, setError, formState } = form;
  const faq = useFieldArray({ control, name: "faq" });
  const values = useWatch({ control }) as NoticeFormInput;

  const errorOf = (path: string): string | undefined => {
    let node: unknown = formState.errors;
    for (const part of path.split(".")) node = (node as Record<string, unknown> | undefined)?.[part];
    return (node as { message?: string } | undefined)?.message;
  };
  const describe = (path: string, hint?: string) => {
    const ids = [hint, errorOf(path) ? `${path}-error` : null].filter(Boolean).join(" ");
    return { "aria-invalid": errorOf(path) ? true : undefined, "aria-describedby": ids || undefined };
  };

  const onSubmit = handleSubmit((data) => {
    setFormError(null);
    startTransition(async () => {
      const result = await publishNoticeAction(data);
      // Success redirects; anything returned is a refusal.
      if (result && !result.ok) {
        setFormError(result.formError ?? "The notice was not published.");
        for (const [path, message] of Object.entries(result.fieldErrors)) {
          setError(path as FieldPath<NoticeFormInput>, { message });
        }
      }
    });
  }, () => setFormError("The notice was not published: correct the fields marked below."));

  const textField = (path: FieldPath<NoticeFormInput>, label: string, type: "text" | "date" = "text") => (
    <div className="field">
      <label htmlFor={path}>{label}</label>
      <input
        id={path}
        type={type}
        {...register(path)}
        {...describe(path)}
        style={type === "date" ? { font: "inherit", padding: "0.45rem 0.6rem", border: "2px solid #6b7280", borderRadius: "0.375rem", maxWidth: "14rem" } : undefined}
      />
      <FieldError id={`${path}-error`} message={errorOf(path)} />
    </div>
  );

  const previewUpdates = [
    ...(values.newUpdate?.trim() ? [{ key: "new", postedAt: null, body: values.newUpdate }] : []),
    ...updates.map((u) => ({ key: String(u.id), postedAt: u.postedAt, body: u.body })),
  ];

  return (
    <div className="stack">
      <form className="form" onSubmit={onSubmit} noValidate aria-describedby={formError ? "notice-form-error" : undefined}>
        {formError ? (
          <p id="notice-form-error" role="alert" className="status status-bad">
            {formError}
          </p>
        ) : null}
        <fieldset className="panel form">
          <legend>Incident</legend>
          {textField("title", "Incident title")}
          {textField("discoveredOn", "Breach discovered", "date")}
          {textField("breachStartedOn", "Breach window started", "date")}
          {textField("breachEndedOn", "Breach window ended", "date")}
          {textField("noticeOn", "Notice date", "date")}
        </fieldset>

        <fieldset className="panel form">
          <legend>Sections</legend>
          {SECTION_KEYS.map((key) => {
            const path = `sections.${key}` as const;
            return (
              <div className="field" key={key}>
                <label htmlFor={path}>{SECTION_HEADINGS[key]}</label>
                <textarea id={path} rows={8} {...register(path)} {...describe(path)} />
                <FieldError id={`${path}-error`} message={errorOf(path)} />
              </div>
            );
          })}
        </fieldset>

        <fieldset className="panel form">
          <legend>Frequently asked questions</legend>
          {faq.fields.length === 0 ? <p className="hint">No questions yet.</p> : null}
          {faq.fields.map((field, i) => (
            <div key={field.id} className="form" style={{ borderTop: i ? "1px solid #d1d5db" : undefined, paddingTop: i ? "1rem" : undefined }}>
              <div className="field">
                <label htmlFor={`faq.${i}.question`}>Question {i + 1}</label>
                <input id={`faq.${i}.question`} type="text" {...register(`faq.${i}.question`)} {...describe(`faq.${i}.question`)} />
                <FieldError id={`faq.${i}.question-error`} message={errorOf(`faq.${i}.question`)} />
              </div>
              <div className="field">
                <label htmlFor={`faq.${i}.answer`}>Answer {i + 1}</label>
                <textarea id={`faq.${i}.answer`} rows={4} {...register(`faq.${i}.answer`)} {...describe(`faq.${i}.answer`)} />
                <FieldError id={`faq.${i}.answer-error`} message={errorOf(`faq.${i}.answer`)} />
              </div>
              <div>
                <button type="button" className="button-secondary" onClick={() => faq.remove(i)}>
                  Remove question {i + 1}
                </button>
              </div>
            </div>
          ))}
          <div>
            <button
              type="button"
              className="button-secondary"
              disabled={faq.fields.length >= MAX_FAQ}
              onClick={() => faq.append({ question: "", answer: "" })}
            >
              Add a question
            </button>
          </div>
        </fieldset>

        <fieldset className="panel form">
          <legend>Updates</legend>
          <div className="field">
            <label htmlFor="newUpdate">New update</label>
            <p id="newUpdate-hint" className="hint">
              Optional. Posted with the time of publishing, above the earlier updates. Updates are a public record:
              to correct one, post another.
            </p>
            <textarea id="newUpdate" rows={3} {...register("newUpdate")} {...describe("newUpdate", "newUpdate-hint")} />
            <FieldError id="newUpdate-error" message={errorOf("newUpdate")} />
          </div>
          {updates.length ? (
            <details>
              <summary>Earlier updates ({updates.length})</summary>
              <ul>
                {updates.map((u) => (
                  <li key={u.id}>
                    <time dateTime={u.postedAt}>{u.postedAt.slice(0, 16).replace("T", " ")} UTC</time>: {u.body}
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
        </fieldset>

        <div style={{ display: "flex", flexWrap: "wrap", gap: "0.75rem" }}>
          <button type="button" className="button-secondary" aria-expanded={showPreview} aria-controls="notice-preview" onClick={() => setShowPreview((v) => !v)}>
            {showPreview ? "Hide preview" : "Preview"}
          </button>
          <button type="submit" disabled={pending}>
            {pending ? "Publishing…" : "Publish"}
          </button>
        </div>
      </form>

      <section id="notice-preview" aria-label="Preview of the notice" className="panel" hidden={!showPreview}>
        {showPreview ? (
          <NoticeDocument
            top={2}
            data={{
              title: values.title ?? "",
              discoveredAt: toIso(values.discoveredOn ?? ""),
              breachStartedAt: toIso(values.breachStartedOn ?? ""),
              breachEndedAt: toIso(values.breachEndedOn ?? ""),
              noticeDate: toIso(values.noticeOn ?? ""),
              lastUpdatedAt: null,
              sections: {
                whatHappened: values.sections?.whatHappened ?? "",
                informationInvolved: values.sections?.informationInvolved ?? "",
                whatWeAreDoing: values.sections?.whatWeAreDoing ?? "",
                whatYouCanDo: values.sections?.whatYouCanDo ?? "",
                moreInformation: values.sections?.moreInformation ?? "",
              },
              faq: (values.faq ?? []).map((f) => ({ question: f?.question ?? "", answer: f?.answer ?? "" })),
              updates: previewUpdates,
            }}
          />
        ) : null}
      </section>
    </div>
  );
}
