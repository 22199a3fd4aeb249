// Sign-in over HTTP through the real /login form (its server action: rate
// limits, Auth.js credentials, audit), as a browser without JavaScript posts
// it. The outcome is read from the answer.
import type http from "node:http";
import { readForm, submitForm, type FormShape } from "./form";
import { httpRequest, type Outcome, type Reply } from "./load";

/** Null when the app has no sign-in form yet. */
export async function prepareSignIn(agent: http.Agent, base: string): Promise<FormShape | null> {
  const page = await httpRequest(agent, `${base}/login`, { keepBody: true });
  if (page.status !== 200) return null;
  const shape = readForm(page.body, "password");
  return shape && shape.fields.includes("email") ? shape : null;
}

/** Kinds: signed-in, refused (wrong or expired: still one verify), busy (503 page), rate-limited, error. */
export function classify(reply: Reply): Outcome {
  const location = String(reply.headers.location ?? "");
  const cookies = (reply.headers["set-cookie"] ?? []).join(" ");
  if (reply.status >= 500 && reply.status !== 503) return { status: reply.status, kind: "error" };
  if (reply.status === 503 || /\/busy/.test(location)) {
    const retry = Number(reply.headers["retry-after"] ?? /retry=(\d+)/.exec(location)?.[1] ?? 1);
    return { status: reply.status, kind: "busy", pauseMs: retry * 1000 };
  }
  if (reply.status === 429 || /rate-limited/.test(location)) return { status: reply.status, kind: "rate-limited" };
  if (/session-token=[^;]/.test(cookies)) return { status: reply.status, kind: "signed-in" };
  if (reply.status === 200 || reply.status === 401) return { status: reply.status, kind: "refused" };
  return { status: reply.status, kind: "other" };
}

export async function signInOnce(
  agent: http.Agent,
  base: string,
  form: FormShape,
  email: string,
  password: string,
): Promise<Outcome> {
  const reply = await submitForm(agent, `${base}/login`, form, { email, password });
  return classify(reply);
}
