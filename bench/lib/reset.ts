// A password reset over HTTP as a browser without JavaScript does it: open the
// link (the token moves into a cookie and leaves the URL), then submit the
// "Choose a new password" form. The form's hidden fields are read once.
import type http from "node:http";
import { cookiesOf, readForm, submitForm, type FormShape } from "./form";
import { httpRequest, type Outcome } from "./load";

let cachedForm: FormShape | null | undefined;

/** Null when the app has no reset pages; else the outcome of one full reset. */
export async function resetOnce(agent: http.Agent, base: string, token: string, newPassword: string): Promise<Outcome | null> {
  const opened = await httpRequest(agent, `${base}/reset-password/${token}`);
  if (opened.status === 404) return null;
  if (opened.status >= 500) return { status: opened.status, kind: "error" };
  const cookie = cookiesOf(opened);
  if (cachedForm === undefined) {
    const page = await httpRequest(agent, `${base}/reset-password`, { headers: { cookie }, keepBody: true });
    cachedForm = readForm(page.body, "password");
  }
  if (!cachedForm) return null;
  const values: Record<string, string> = {};
  for (const name of cachedForm.fields) values[name] = newPassword;
  const submitted = await submitForm(agent, `${base}/reset-password`, cachedForm, values, cookie);
  const location = String(submitted.headers.location ?? "");
  if (submitted.status === 503 || location.includes("/busy")) return { status: submitted.status, kind: "busy" };
  if (submitted.status === 429 || location.includes("rate-limited")) return { status: submitted.status, kind: "rate-limited" };
  if (submitted.status >= 500) return { status: submitted.status, kind: "error" };
  if (location.includes("/login")) return { status: submitted.status, kind: "reset" };
  return { status: submitted.status, kind: "not-reset" };
}
