// A password reset over HTTP as a browser without JavaScript does it: open the
// link (the token moves into a cookie), load the form, submit it. The form's
// hidden server-action fields are read from the page once and replayed.
import type { Outcome } from "./load";

type FormShape = { hidden: [string, string][]; passwordFields: string[] };
let cachedForm: FormShape | null | undefined;

function cookiesOf(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

function attr(tag: string, name: string): string | undefined {
  return new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1]?.replace(/&amp;/g, "&").replace(/&quot;/g, '"');
}

export function readForm(html: string): FormShape | null {
  const form = /<form[^>]*>([\s\S]*?)<\/form>/.exec(html);
  if (!form) return null;
  const inputs = form[1].match(/<input[^>]*>/g) ?? [];
  const hidden: [string, string][] = [];
  const passwordFields: string[] = [];
  for (const tag of inputs) {
    const name = attr(tag, "name");
    if (!name) continue;
    if (attr(tag, "type") === "hidden") hidden.push([name, attr(tag, "value") ?? ""]);
    if (attr(tag, "type") === "password") passwordFields.push(name);
  }
  return passwordFields.length ? { hidden, passwordFields } : null;
}

/** Null when the app has no reset pages yet; else the outcome of one full reset. */
export async function resetOnce(base: string, token: string, newPassword: string): Promise<Outcome | null> {
  const opened = await fetch(`${base}/reset-password/${token}`, { redirect: "manual" });
  if (opened.status === 404) return null;
  if (opened.status >= 500) return { status: opened.status, kind: "error" };
  const cookie = cookiesOf(opened);
  if (cachedForm === undefined) {
    const page = await fetch(`${base}/reset-password`, { headers: { cookie } });
    cachedForm = readForm(await page.text());
  }
  if (!cachedForm) return null;
  const body = new FormData();
  for (const [name, value] of cachedForm.hidden) body.append(name, value);
  for (const name of cachedForm.passwordFields) body.append(name, newPassword);
  const submitted = await fetch(`${base}/reset-password`, { method: "POST", body, headers: { cookie }, redirect: "manual" });
  await submitted.arrayBuffer();
  const location = submitted.headers.get("location") ?? "";
  if (submitted.status === 503 || location.includes("/busy")) return { status: submitted.status, kind: "busy" };
  if (submitted.status === 429 || location.includes("rate-limited")) return { status: submitted.status, kind: "rate-limited" };
  if (submitted.status >= 500) return { status: submitted.status, kind: "error" };
  if (location.includes("/login")) return { status: submitted.status, kind: "reset" };
  return { status: submitted.status, kind: "not-reset" };
}
