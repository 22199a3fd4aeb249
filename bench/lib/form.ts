// Submitting the app's forms as a browser without JavaScript does: the page's
// <form> carries the server action's hidden fields; they are read once and
// replayed with each submission (multipart/form-data, like the browser).
import type http from "node:http";
import { httpRequest, type Reply } from "./load";

export type FormShape = { hidden: [string, string][]; fields: string[] };

function attr(tag: string, name: string): string | undefined {
  return new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1]?.replace(/&amp;/g, "&").replace(/&quot;/g, '"');
}

/** The first form of the page that has a field named `mustHave`. */
export function readForm(html: string, mustHave: string): FormShape | null {
  for (const form of html.match(/<form[\s\S]*?<\/form>/g) ?? []) {
    const hidden: [string, string][] = [];
    const fields: string[] = [];
    for (const tag of form.match(/<input[^>]*>/g) ?? []) {
      const name = attr(tag, "name");
      if (!name) continue;
      if (attr(tag, "type") === "hidden") hidden.push([name, attr(tag, "value") ?? ""]);
      else fields.push(name);
    }
    if (fields.includes(mustHave)) return { hidden, fields };
  }
  return null;
}

export function cookiesOf(reply: Reply): string {
  const set = reply.headers["set-cookie"] ?? [];
  return set.map((c) => c.split(";")[0]).join("; ");
}

const BOUNDARY = "----resetdeskbench7MA4YWxkTrZu0gW";

export function multipart(values: [string, string][]): string {
  const parts = values.map(
    ([name, value]) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  return `${parts.join("")}--${BOUNDARY}--\r\n`;
}

export function submitForm(
  agent: http.Agent,
  url: string,
  shape: FormShape,
  values: Record<string, string>,
  cookie = "",
): Promise<Reply> {
  const body = multipart([...shape.hidden, ...Object.entries(values)]);
  const origin = new URL(url).origin;
  return httpRequest(agent, url, {
    method: "POST",
    body,
    headers: {
      "content-type": `multipart/form-data; boundary=${BOUNDARY}`,
      origin,
      "sec-fetch-site": "same-origin",
      ...(cookie ? { cookie } : {}),
    },
  });
}
