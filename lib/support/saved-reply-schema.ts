// The one schema of the saved-reply form: the admin page validates with it in
// the browser and lib/ again on the server. Safe to import from client code
// (no database imports): the topic keys are passed in by the caller's module.
import { z } from "zod";
import { bodyProblem } from "./saved-replies";

// Line breaks and tabs are text; other control characters are refused (SPEC 5.8).
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

export const SAVED_REPLY_TITLE_MAX = 120;
export const SAVED_REPLY_BODY_MAX = 10_000;

export function savedReplySchemaFor(topics: readonly [string, ...string[]]) {
  return z.object({
    title: z
      .string({ error: "Enter a title." })
      .transform((v) => v.normalize("NFC").trim())
      .pipe(
        z
          .string()
          .min(1, "Enter a title.")
          .max(SAVED_REPLY_TITLE_MAX, `Keep the title under ${SAVED_REPLY_TITLE_MAX} characters.`)
          .refine((v) => !CONTROL.test(v) && !v.includes("\n"), "Keep the title on one line, without control characters."),
      ),
    body: z
      .string({ error: "Write the reply." })
      .transform((v) => v.replace(/\r\n?/g, "\n").normalize("NFC").trim())
      .pipe(
        z
          .string()
          .min(1, "Write the reply.")
          .max(SAVED_REPLY_BODY_MAX, `Keep the reply under ${SAVED_REPLY_BODY_MAX} characters.`)
          .refine((v) => !CONTROL.test(v), "Remove the unusual control characters and try again.")
          .superRefine((v, ctx) => {
            const problem = bodyProblem(v);
            if (problem) ctx.addIssue({ code: "custom", message: problem });
          }),
      ),
    topic: z
      .union([z.literal(""), z.enum(topics, { error: "Choose a topic from the list." })])
      .optional()
      .transform((v) => (v ? v : null)),
  });
}
