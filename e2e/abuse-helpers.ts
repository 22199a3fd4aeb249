// Helpers of the abuse suite: capture a server action as the browser sends it,
// then replay it over HTTP with other field values (hostile ones, foreign
// origins), as an attacker's script would.
import { expect, type APIRequestContext, type Page } from "@playwright/test";

export type CapturedAction = {
  url: string;
  headers: Record<string, string>;
  fields: [string, string][];
};

/** Fills and submits a form in the browser; returns the action POST it sent. */
export async function captureAction(page: Page, submit: () => Promise<void>): Promise<CapturedAction> {
  // A form's action posts multipart; /login's passkey autofill also calls an
  // action (with JSON arguments) as it mounts, which is not the one wanted here.
  const posted = page.waitForRequest(
    (r) => r.method() === "POST" && Boolean(r.headers()["next-action"]) && /multipart\/form-data/.test(r.headers()["content-type"] ?? ""),
  );
  await submit();
  const request = await posted;
  const headers = await request.allHeaders();
  const body = request.postDataBuffer() ?? Buffer.alloc(0);
  const boundary = /boundary=(.+)$/.exec(headers["content-type"] ?? "")?.[1];
  const fields: [string, string][] = [];
  if (boundary) {
    for (const part of body.toString("latin1").split(`--${boundary}`)) {
      const match = /name="([^"]+)"\r\n(?:[^\r\n]+\r\n)*\r\n([\s\S]*)\r\n$/.exec(part);
      if (match) fields.push([match[1], Buffer.from(match[2], "latin1").toString("utf8")]);
    }
  }
  const keep = ["next-action", "next-router-state-tree", "accept", "origin"];
  return {
    url: request.url(),
    headers: Object.fromEntries(Object.entries(headers).filter(([k]) => keep.includes(k))),
    fields,
  };
}

/** A multipart body with the captured fields, some replaced; values may be raw bytes (invalid UTF-8). */
export function multipart(fields: [string, string | Buffer][]): { body: Buffer; contentType: string } {
  const boundary = `----abuse${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of fields) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`));
    parts.push(typeof value === "string" ? Buffer.from(value, "utf8") : value);
    parts.push(Buffer.from("\r\n"));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Replays a captured action with some fields replaced (matched by the name's ending, e.g. "email"). */
export async function replayAction(
  request: APIRequestContext,
  action: CapturedAction,
  replace: Record<string, string | Buffer | undefined>,
  extraHeaders: Record<string, string> = {},
) {
  const fields: [string, string | Buffer][] = [];
  for (const [name, value] of action.fields) {
    const key = Object.keys(replace).find((k) => name === k || name.endsWith(`_${k}`));
    if (key === undefined) fields.push([name, value]);
    else if (replace[key] !== undefined) fields.push([name, replace[key]!]); // undefined: field left out
  }
  const { body, contentType } = multipart(fields);
  return request.post(action.url, {
    headers: { ...action.headers, "content-type": contentType, ...extraHeaders },
    data: body,
    maxRedirects: 0,
    failOnStatusCode: false,
  });
}

/** Where an action's answer sends the browser, if anywhere (fetch actions answer with x-action-redirect). */
export function redirectOf(response: { headers(): Record<string, string> }): string | undefined {
  const h = response.headers();
  return (h["x-action-redirect"] ?? h["location"])?.split(";")[0];
}

export function expectNoServerError(status: number, what: string) {
  expect(status, `${what} answered ${status}`).toBeLessThan(500);
}
