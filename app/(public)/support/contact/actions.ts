"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { clientIp } from "@/lib/http/client-ip";
import { RateLimitedError, rateLimitedPath } from "@/lib/rate-limit";
import { createContactRequest, type FieldErrors } from "@/lib/support";

export type ContactState =
  | { status: "idle" }
  | { status: "sent"; reference: string }
  | { status: "invalid"; fieldErrors: FieldErrors; values: { email: string; name: string; message: string } };

const text = (value: FormDataEntryValue | null) => (typeof value === "string" ? value : "");

export async function sendContactMessage(_prev: ContactState, formData: FormData): Promise<ContactState> {
  const input = { email: formData.get("email"), name: formData.get("name"), message: formData.get("message") };
  let result;
  try {
    result = await createContactRequest(await getDb(), input, { ip: clientIp(await headers()) });
  } catch (error) {
    if (error instanceof RateLimitedError) redirect(rateLimitedPath(error));
    throw error;
  }
  if (result.ok) return { status: "sent", reference: result.reference };
  return {
    status: "invalid",
    fieldErrors: result.fieldErrors,
    values: { email: text(input.email), name: text(input.name), message: text(input.message) },
  };
}
