// The server's word on a new password: the shared rules of ./policy.ts plus the
// breach corpus (a million leaked passwords, ./corpus.ts), which never reaches
// the browser. Every place that sets a password asks here: the reset form,
// accounts created or updated with a password (CLI, seed), and anything new.
import { inBreachCorpus } from "./corpus";
import { passwordIssues, type PasswordProblem, type PolicyContext } from "./policy";

export function newPasswordIssues(password: string, minLength: number, ctx: PolicyContext = {}): PasswordProblem[] {
  return passwordIssues(password, minLength, ctx, inBreachCorpus);
}

/** The reasons, keyed by the form field they belong to (empty when the password is accepted). */
export function newPasswordProblems(
  password: string,
  minLength: number,
  ctx: PolicyContext = {},
): { password?: string[] } {
  const issues = newPasswordIssues(password, minLength, ctx);
  return issues.length ? { password: issues.map((p) => p.message) } : {};
}
