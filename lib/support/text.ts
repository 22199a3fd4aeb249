// Free text typed by customers and agents: trimmed, line endings unified, and
// refused when it carries control characters (SPEC 5.8). It is always shown
// as text (React escapes it), never as HTML.
import { z } from "zod";
import { emailSchema } from "@/lib/accounts/email";

// C0 controls except tab and newline, DEL, C1 controls, and lone surrogates.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function cleanText(label: string, max: number, { multiline }: { multiline: boolean }) {
  return z
    .string({ error: `Enter ${label}.` })
    .transform((v) => v.replace(/\r\n?/g, "\n").normalize("NFC").trim())
    .pipe(
      z
        .string()
        .min(1, `Enter ${label}.`)
        .max(max, `Keep ${label} under ${max} characters.`)
        .refine((v) => !CONTROL.test(v), "Remove the unusual control characters and try again.")
        .refine((v) => multiline || !v.includes("\n"), `Keep ${label} on one line.`),
    );
}

export const contactSchema = z.object({
  email: emailSchema,
  name: cleanText("your name", 200, { multiline: false }),
  message: cleanText("your message", 5000, { multiline: true }),
});
export type ContactInput = z.input<typeof contactSchema>;

export const replySchema = cleanText("a reply", 10000, { multiline: true });
export const noteSchema = cleanText("a note", 10000, { multiline: true });

export type FieldErrors = Partial<Record<string, string>>;

export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "form");
    out[key] ??= issue.message;
  }
  return out;
}
