// Sign-in over HTTP the way a browser without JavaScript would: Auth.js's
// CSRF token and cookie once, then a form POST to the credentials callback
// for each attempt. The outcome is read from the redirect.
import type http from "node:http";
import { httpRequest, type Outcome } from "./load";

export type SignInClient = { cookie: string; csrfToken: string };

function cookiesOf(setCookie: string[] | undefined): string {
  return (setCookie ?? []).map((c) => c.split(";")[0]).join("; ");
}

/** Null when the app has no Auth.js endpoint yet (sign-in not merged). */
export async function prepareSignIn(agent: http.Agent, base: string): Promise<SignInClient | null> {
  const reply = await httpRequest(agent, `${base}/api/auth/csrf`, { keepBody: true });
  if (reply.status !== 200) return null;
  const { csrfToken } = JSON.parse(reply.body) as { csrfToken?: string };
  if (!csrfToken) return null;
  return { cookie: cookiesOf(reply.headers["set-cookie"]), csrfToken };
}

/** Kinds: signed-in, refused (wrong/expired: still one verify), busy (503), rate-limited, error. */
export function classify(reply: { status: number; headers: http.IncomingHttpHeaders }): Outcome {
  const location = String(reply.headers.location ?? "");
  const cookies = (reply.headers["set-cookie"] ?? []).join(" ");
  if (reply.status >= 500 && reply.status !== 503) return { status: reply.status, kind: "error" };
  if (reply.status === 503 || /code=busy|\/busy/.test(location)) return { status: reply.status, kind: "busy" };
  if (reply.status === 429 || /rate-limited/.test(location)) return { status: reply.status, kind: "rate-limited" };
  if (/session-token=[^;]/.test(cookies)) return { status: reply.status, kind: "signed-in" };
  if (reply.status === 401 || /error=/.test(location)) return { status: reply.status, kind: "refused" };
  return { status: reply.status, kind: "other" };
}

export async function signInOnce(
  agent: http.Agent,
  base: string,
  client: SignInClient,
  email: string,
  password: string,
): Promise<Outcome> {
  const body = new URLSearchParams({
    email,
    password,
    csrfToken: client.csrfToken,
    callbackUrl: `${base}/account`,
  }).toString();
  const reply = await httpRequest(agent, `${base}/api/auth/callback/credentials`, {
    method: "POST",
    body,
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: client.cookie },
  });
  return classify(reply);
}
