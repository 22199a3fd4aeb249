// The new-password rules (SPEC 4.5; NIST SP 800-63B-4 3.1.1.2): length in code
// points after NFKC, no composition rules, never truncated, a blocklist of
// common passwords, and no words from the account or the brand.
import { z } from "zod";
import { isCommonPassword } from "./blocklist";

export const PASSWORD_MAX_LENGTH = 128;

export function normalizePassword(password: string): string {
  return password.normalize("NFKC");
}

export function codePointLength(text: string): number {
  return Array.from(text).length;
}

export type PolicyContext = { email?: string; brandName?: string };

function wordsOf(text: string, joined: string): string[] {
  const words = new Set<string>();
  if (joined.length >= 3) words.add(joined);
  for (const part of text.split(/[^\p{L}\p{N}]+/u)) if (part.length >= 4) words.add(part);
  return [...words];
}

/** Words a password may not contain: the email's name part and the brand's name. */
export function contextWords(ctx: PolicyContext): { email: string[]; brand: string[] } {
  const local = ctx.email?.split("@")[0]?.toLowerCase() ?? "";
  const brand = ctx.brandName?.toLowerCase() ?? "";
  return { email: wordsOf(local, local), brand: wordsOf(brand, brand.replace(/\s+/g, "")) };
}

/** The reasons a password is refused, in the order a person should fix them. */
export function passwordProblems(
  password: string,
  minLength: number,
  ctx: PolicyContext = {},
): string[] {
  const normalized = normalizePassword(password);
  const length = codePointLength(normalized);
  if (length < minLength) return [`Use at least ${minLength} characters (you have ${length}).`];
  if (length > PASSWORD_MAX_LENGTH)
    return [`Use at most ${PASSWORD_MAX_LENGTH} characters (you have ${length}).`];
  const lowered = normalized.toLowerCase();
  if (isCommonPassword(lowered))
    return ["This password is too common: it appears in lists attackers try first."];
  const squeezed = lowered.replace(/\s+/g, "");
  const words = contextWords(ctx);
  const contains = (w: string) => lowered.includes(w) || squeezed.includes(w);
  if (words.email.some(contains)) return ["Do not use your email name in your password."];
  if (words.brand.some(contains)) return ["Do not use our company's name in your password."];
  return [];
}

/** The form's schema, shared by the browser (react-hook-form) and the server action. */
export function newPasswordSchema(minLength: number, ctx: PolicyContext = {}) {
  return z
    .object({
      password: z
        .string({ error: "Enter a new password." })
        .max(PASSWORD_MAX_LENGTH * 8, `Use at most ${PASSWORD_MAX_LENGTH} characters.`)
        .superRefine((value, check) => {
          for (const message of passwordProblems(value, minLength, ctx)) {
            check.addIssue({ code: "custom", message });
          }
        }),
      confirm: z.string({ error: "Enter the new password again." }).max(PASSWORD_MAX_LENGTH * 8),
    })
    .refine((v) => v.password === v.confirm, {
      path: ["confirm"],
      message: "The two passwords do not match.",
    });
}

export type NewPasswordInput = z.input<ReturnType<typeof newPasswordSchema>>;
