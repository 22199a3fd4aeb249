// The new-password rules (SPEC 4.5; NIST SP 800-63B-4 3.1.1.2): length in code
// points after NFKC, no composition rules, never truncated, a blocklist of
// common passwords, generated patterns and dressed-up variants, and no words
// from the account or the brand. This file runs in the browser too, with the
// small list only; the server adds the breach corpus (./new-password.ts).
import { z } from "zod";
import { inCommonList, isCommonPassword } from "./blocklist";
import { generatedPattern, type PatternKind } from "./patterns";
import { isListedVariant } from "./variants";

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

export type PasswordProblemCode =
  | "too-short"
  | "too-long"
  | "common"
  | PatternKind
  | "variant"
  | "breached"
  | "email-name"
  | "brand-name";

export type PasswordProblem = { code: PasswordProblemCode; message: string };

/** Looks a normalised, lowercased password up in a larger list (the server's breach corpus). */
export type BreachLookup = (normalizedLower: string) => boolean;

const TRIED_FIRST = "which attackers try early.";
const MESSAGES: Record<Exclude<PasswordProblemCode, "too-short" | "too-long">, string> = {
  common: "This password is too common: it appears in lists attackers try first.",
  repeat: `This password repeats the same characters over and over (like 123123123), ${TRIED_FIRST}`,
  keyboard: `This password is a walk along the keyboard (like qwertyuiop or 1qaz2wsx), ${TRIED_FIRST}`,
  sequence: `This password counts up or down (like 12345 or abcdef), ${TRIED_FIRST}`,
  variant: `This password is a common password with a few characters added or swapped (like P@ssw0rd2024!), ${TRIED_FIRST}`,
  breached: "This password is in a list of a million leaked passwords that attackers try first.",
  "email-name": "Do not use your email name in your password.",
  "brand-name": "Do not use our company's name in your password.",
};

function problem(code: Exclude<PasswordProblemCode, "too-short" | "too-long">): PasswordProblem[] {
  return [{ code, message: MESSAGES[code] }];
}

/**
 * The reasons a password is refused, in the order a person should fix them.
 * The checks the browser can make come before the `breached` lookup, so that
 * both give the same reason wherever they overlap.
 */
export function passwordIssues(
  password: string,
  minLength: number,
  ctx: PolicyContext = {},
  breached?: BreachLookup,
): PasswordProblem[] {
  const normalized = normalizePassword(password);
  const length = codePointLength(normalized);
  if (length < minLength)
    return [{ code: "too-short", message: `Use at least ${minLength} characters (you have ${length}).` }];
  if (length > PASSWORD_MAX_LENGTH)
    return [{ code: "too-long", message: `Use at most ${PASSWORD_MAX_LENGTH} characters (you have ${length}).` }];
  const lowered = normalized.toLowerCase();
  if (isCommonPassword(lowered)) return problem("common");
  const pattern = generatedPattern(lowered);
  if (pattern) return problem(pattern);
  if (isListedVariant(lowered, inCommonList)) return problem("variant");
  if (breached) {
    if (breached(lowered)) return problem("breached");
    if (isListedVariant(lowered, breached)) return problem("variant");
  }
  const squeezed = lowered.replace(/\s+/g, "");
  const words = contextWords(ctx);
  const contains = (w: string) => lowered.includes(w) || squeezed.includes(w);
  if (words.email.some(contains)) return problem("email-name");
  if (words.brand.some(contains)) return problem("brand-name");
  return [];
}

/** The messages of `passwordIssues`: with the small list only, unless given the breach lookup. */
export function passwordProblems(
  password: string,
  minLength: number,
  ctx: PolicyContext = {},
  breached?: BreachLookup,
): string[] {
  return passwordIssues(password, minLength, ctx, breached).map((p) => p.message);
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
