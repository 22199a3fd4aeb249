"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { getPublishedNotice } from "@/lib/incident/published";
import { clientIp } from "@/lib/http/client-ip";
import { RateLimitedError, rateLimitedPath } from "@/lib/rate-limit";
import { createContactRequest, type FieldErrors } from "@/lib/support";
import { contactSuggestions } from "@/lib/support/contact-suggestions";
import type { Suggestion } from "@/lib/support/self-service";
import { contactRequestSchema } from "@/lib/support/requests";
import { fieldErrorsOf } from "@/lib/support/text";

export type ContactValues = { email: string; name: string; message: string; topic: string };

export type ContactState =
  | { status: "idle" }
  | { status: "sent"; reference: string }
  | { status: "invalid"; fieldErrors: FieldErrors; values: ContactValues }
  /** without JavaScript: answers that may help, shown before anything is sent */
  | { status: "suggest"; suggestions: Suggestion[]; values: ContactValues };

const text = (value: FormDataEntryValue | null) => (typeof value === "string" ? value : "");

export async function sendContactMessage(_prev: ContactState, formData: FormData): Promise<ContactState> {
  const topic = text(formData.get("topic"));
  const input = { email: formData.get("email"), name: formData.get("name"), message: formData.get("message"), ...(topic ? { topic } : {}) };
  const values = { email: text(input.email), name: text(input.name), message: text(input.message), topic };
  // With JavaScript the suggestions were shown as the customer typed and the
  // form says "send"; without, they are shown once, with "Send anyway".
  if (formData.get("intent") !== "send") {
    const parsed = contactRequestSchema.safeParse(input);
    if (!parsed.success) return { status: "invalid", fieldErrors: fieldErrorsOf(parsed.error), values };
    const faq = (await getPublishedNotice())?.faq ?? [];
    const suggestions = contactSuggestions({ topic: parsed.data.topic, message: parsed.data.message }, faq);
    if (suggestions.length > 0) return { status: "suggest", suggestions, values };
  }
  let result;
  try {
    result = await createContactRequest(await getDb(), input, { ip: clientIp(await headers()) });
  } catch (error) {
    if (error instanceof RateLimitedError) redirect(rateLimitedPath(error));
    throw error;
  }
  if (result.ok) return { status: "sent", reference: result.reference };
  return { status: "invalid", fieldErrors: result.fieldErrors, values };
}
