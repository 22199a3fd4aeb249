// The one schema of the notice editor: react-hook-form validates with it in
// the browser, the publish action and lib/ validate with it again on the
// server (the authority). Safe to import from client components.
import { z } from "zod";

// Text may hold line breaks and tabs, never other control characters.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

const text = (label: string, max: number) =>
  z
    .string({ error: `${label} must be text.` })
    .trim()
    .min(1, `${label} is required.`)
    .max(max, `${label} may be at most ${max} characters.`)
    .refine((s) => !CONTROL.test(s), `${label} contains characters that are not allowed.`);

const optionalText = (label: string, max: number) =>
  z
    .string({ error: `${label} must be text.` })
    .trim()
    .max(max, `${label} may be at most ${max} characters.`)
    .refine((s) => !CONTROL.test(s), `${label} contains characters that are not allowed.`);

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const date = (label: string) =>
  z
    .string({ error: `${label} must be a date.` })
    .regex(DAY, `Enter ${label.toLowerCase()} as a date (YYYY-MM-DD).`)
    .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), `${label} is not a real date.`);
const optionalDate = (label: string) => z.union([z.literal(""), date(label)]);

export const SECTION_KEYS = [
  "whatHappened",
  "informationInvolved",
  "whatWeAreDoing",
  "whatYouCanDo",
  "moreInformation",
] as const;
export type SectionKey = (typeof SECTION_KEYS)[number];

/** The five headings of California Civil Code 1798.82, in order (SPEC 3). */
export const SECTION_HEADINGS: Record<SectionKey, string> = {
  whatHappened: "What Happened",
  informationInvolved: "What Information Was Involved",
  whatWeAreDoing: "What We Are Doing",
  whatYouCanDo: "What You Can Do",
  moreInformation: "For More Information",
};

export const MAX_FAQ = 40;

export const noticeFormSchema = z
  .object({
    title: text("The incident title", 200),
    discoveredOn: date("Discovery date"),
    breachStartedOn: optionalDate("Start of the breach window"),
    breachEndedOn: optionalDate("End of the breach window"),
    noticeOn: date("Notice date"),
    sections: z.object({
      whatHappened: text(SECTION_HEADINGS.whatHappened, 10_000),
      informationInvolved: text(SECTION_HEADINGS.informationInvolved, 10_000),
      whatWeAreDoing: text(SECTION_HEADINGS.whatWeAreDoing, 10_000),
      whatYouCanDo: text(SECTION_HEADINGS.whatYouCanDo, 10_000),
      moreInformation: text(SECTION_HEADINGS.moreInformation, 10_000),
    }),
    faq: z
      .array(z.object({ question: text("The question", 300), answer: text("The answer", 5_000) }))
      .max(MAX_FAQ, `At most ${MAX_FAQ} questions.`),
    newUpdate: optionalText("The update", 2_000),
  })
  .superRefine((v, ctx) => {
    if (v.breachStartedOn && v.breachEndedOn && v.breachStartedOn > v.breachEndedOn) {
      ctx.addIssue({ code: "custom", path: ["breachEndedOn"], message: "The breach window must end after it starts." });
    }
  });

export type NoticeFormInput = z.input<typeof noticeFormSchema>;
export type NoticeFormValues = z.output<typeof noticeFormSchema>;

/** Field errors keyed by the form's dotted paths ("sections.whatHappened", "faq.0.answer"). */
export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join(".") || "form";
    out[key] ??= issue.message;
  }
  return out;
}
