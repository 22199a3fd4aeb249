// The pages an incident team opens, timed over HTTP against the built app as
// a signed-in admin: each round opens every page once, in a shuffled order,
// so a burst of other load on the shared machine lands on every page alike.
// The desk's lookup is submitted as the browser does without JavaScript,
// whatever shape the form on /support has (a server action, or a GET form).
import http from "node:http";
import { readForm, submitForm, cookiesOf } from "../lib/form";
import { httpRequest } from "../lib/load";

export type PageTiming = { requests: number; medianMs: number; p90Ms: number; maxMs: number; errors: number; statuses: Record<string, number> };
export type Target = { id: number; email: string; name: string | null };

type Page = { name: string; open: (target: Target) => Promise<{ status: number; ok: boolean }> };

export async function signIn(agent: http.Agent, base: string, email: string, password: string): Promise<string> {
  const page = await httpRequest(agent, `${base}/login`, { keepBody: true });
  const form = readForm(page.body, "password");
  if (!form) throw new Error("No sign-in form at /login.");
  const reply = await submitForm(agent, `${base}/login`, form, { email, password });
  const cookie = cookiesOf(reply);
  if (!/session-token=/.test(cookie)) throw new Error(`Signing in as ${email} failed (status ${reply.status}).`);
  return cookie;
}

export type LookupKind = "exact" | "prefix" | "name";

/**
 * How the lookup is sent, read once from the /support page: the form holding
 * the field labelled "Customer email" (SPEC 3), a server action (POST, 303 to
 * the customer) or a GET form (issue 13's: an exact address redirects to the
 * customer, a prefix or a name lists matches). Prefix and name lookups exist
 * only with the GET form; null then for those kinds.
 */
async function lookupSender(agent: http.Agent, base: string, cookie: string) {
  const page = await httpRequest(agent, `${base}/support`, { keepBody: true, headers: { cookie } });
  if (page.status !== 200) throw new Error(`/support answered ${page.status}`);
  const fieldId = /<label[^>]*\sfor="([^"]+)"[^>]*>\s*Customer email\s*<\/label>/.exec(page.body)?.[1];
  const form = fieldId
    ? (page.body.match(/<form[\s\S]*?<\/form>/g) ?? []).find((f) => f.includes(`id="${fieldId}"`))
    : undefined;
  const field = form && new RegExp(`<input[^>]*id="${fieldId}"[^>]*>`).exec(form)?.[0];
  const name = field && /\sname="([^"]+)"/.exec(field)?.[1];
  if (!form || !name) throw new Error('No form with a field labelled "Customer email" on /support.');
  const shape = readForm(form, name)!;
  const method = (/^<form[^>]*\smethod="([^"]+)"/i.exec(form)?.[1] ?? "get").toLowerCase();
  const action = /^<form[^>]*\saction="([^"]*)"/i.exec(form)?.[1];
  const viaAction = shape.hidden.some(([n]) => n.startsWith("$ACTION")) || method === "post";
  const customerPage = (location: string, target: Target) => location.includes(`/support/customers/${target.id}`);
  const send = async (target: Target, text: string, kind: LookupKind) => {
    if (viaAction) {
      const reply = await submitForm(agent, `${base}/support`, shape, { [name]: text }, cookie);
      return { status: reply.status, ok: reply.status === 303 && customerPage(String(reply.headers.location ?? ""), target) };
    }
    const url = new URL(action || "/support", base);
    url.searchParams.set(name, text);
    const reply = await httpRequest(agent, url.toString(), { keepBody: true, headers: { cookie } });
    if (kind === "exact" && reply.status >= 300 && reply.status < 400) {
      return { status: reply.status, ok: customerPage(String(reply.headers.location ?? ""), target) };
    }
    return { status: reply.status, ok: reply.status === 200 && (kind !== "exact" || reply.body.includes(target.email)) };
  };
  return {
    form: viaAction ? "server action" : `GET ${action || "/support"}`,
    exact: (t: Target) => send(t, t.email, "exact"),
    // The start of the address (its first seven characters) and the start of the name.
    prefix: viaAction ? null : (t: Target) => send(t, t.email.slice(0, 7), "prefix"),
    name: viaAction ? null : (t: Target) => send(t, (t.name ?? t.email).split(/[ ,]/)[0].slice(0, 6), "name"),
  };
}

function summarise(ms: number[], statuses: Record<string, number>, errors: number): PageTiming {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] * 10) / 10;
  return { requests: ms.length, medianMs: at(0.5), p90Ms: at(0.9), maxMs: at(1), errors, statuses };
}

export async function timePages(options: {
  base: string;
  cookie: string;
  targets: Target[];
  rounds: number;
  warmupRounds: number;
  log: (line: string) => void;
}): Promise<Record<string, PageTiming>> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const { base, cookie } = options;
  const get = (path: string, mustContain: string) => async () => {
    const reply = await httpRequest(agent, `${base}${path}`, { keepBody: true, headers: { cookie } });
    return { status: reply.status, ok: reply.status === 200 && reply.body.includes(mustContain) };
  };
  const lookup = await lookupSender(agent, base, cookie);
  options.log(`  the lookup is a ${lookup.form} form`);
  const pages: Page[] = [
    { name: "account", open: get("/account", "Your account") },
    { name: "dashboard", open: get("/admin", "Incident dashboard") },
    { name: "customer", open: async (t) => get(`/support/customers/${t.id}`, "Password status")() },
    { name: "lookup", open: lookup.exact },
    ...(lookup.prefix ? [{ name: "lookupPrefix", open: lookup.prefix }] : []),
    ...(lookup.name ? [{ name: "lookupName", open: lookup.name }] : []),
    { name: "queue", open: get("/support", "Support desk") },
    { name: "campaigns", open: get("/admin/campaigns", "Campaigns") },
    { name: "expiry", open: get("/admin/expiry", "Expire passwords") },
  ];
  const times: Record<string, number[]> = Object.fromEntries(pages.map((p) => [p.name, []]));
  const statuses: Record<string, Record<string, number>> = Object.fromEntries(pages.map((p) => [p.name, {}]));
  const errors: Record<string, number> = Object.fromEntries(pages.map((p) => [p.name, 0]));
  const total = options.warmupRounds + options.rounds;
  try {
    for (let round = 0; round < total; round++) {
      const target = options.targets[round % options.targets.length];
      const order = [...pages].sort(() => Math.random() - 0.5);
      for (const page of order) {
        const started = performance.now();
        const { status, ok } = await page.open(target);
        const ms = performance.now() - started;
        if (round < options.warmupRounds) continue;
        times[page.name].push(ms);
        statuses[page.name][status] = (statuses[page.name][status] ?? 0) + 1;
        if (!ok) errors[page.name]++;
      }
      if ((round + 1) % 10 === 0 || round + 1 === total) {
        options.log(`  round ${round + 1}/${total}${round < options.warmupRounds ? " (warm-up)" : ""}`);
      }
    }
  } finally {
    agent.destroy();
  }
  return Object.fromEntries(pages.map((p) => [p.name, summarise(times[p.name], statuses[p.name], errors[p.name])]));
}
