// A local Resend-compatible HTTP server for tests (STYLE: no mocks where a real
// part runs): the Resend SDK is pointed at it with RESEND_BASE_URL. It answers
// POST /emails and /emails/batch as Resend does, honours Idempotency-Key (the
// same key and body replay the first answer; another body gets 409), can be
// told to fail (429 with retry-after, 500), and records every call.
// Receiving: tests put an inbound email with receive() and the SDK's
// emails.receiving.get(id) reads it back (GET /emails/receiving/:id, shaped
// as the SDK's GetReceivingEmailResponseSuccess); failReceiving(n) makes the
// next n fetches answer 500, delayReceiving(ms) makes them slow.
import { createHash, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { GetReceivingEmailResponseSuccess } from "resend";

export type FakeEmail = {
  id: string;
  to: string;
  from: string;
  subject: string;
  text?: string;
  html?: string;
  replyTo?: string;
  headers?: Record<string, string>;
  at: number;
};

/** What a test gives receive(): the rest is filled in as Resend would. */
export type InboundInput = Partial<Omit<GetReceivingEmailResponseSuccess, "object">> & { from: string; to: string[] };

export type FakeCall = {
  at: number;
  path: string;
  idempotencyKey: string | null;
  status: number;
  emails: number;
  /** answered from the idempotency store: nothing was sent again */
  replayed: boolean;
};

/** What to answer to call number `index` (0-based) instead of accepting it. */
export type FailurePlan = (index: number, call: { path: string; idempotencyKey: string | null }) =>
  | { status: 429; retryAfterSeconds: number }
  | { status: 500 | 502 | 503 }
  | null;

export type FakeResendOptions = {
  port?: number;
  failures?: FailurePlan;
  /** delay between accepting a batch (emails recorded) and answering: a client killed meanwhile never hears back */
  answerDelayMs?: number;
  /** false: keep only ids and addresses (benchmarks send millions) */
  keepBodies?: boolean;
  /** The provider's rate limit: sending calls past this many in any second get 429 with retry-after 1, as Resend answers. */
  callsPerSecond?: number;
};

export type FakeResend = {
  url: string;
  calls: FakeCall[];
  /** every email accepted, once per real send (replays add nothing) */
  sent: FakeEmail[];
  setFailures(plan: FailurePlan | undefined): void;
  setAnswerDelay(ms: number): void;
  /** stores an inbound email as Resend's receiving would; returns it (its id is the event's email_id) */
  receive(input: InboundInput): GetReceivingEmailResponseSuccess;
  /** stores inbound emails built elsewhere (inboundEmail), as receive() does */
  store(emails: readonly GetReceivingEmailResponseSuccess[]): void;
  /** the next `count` receiving fetches answer 500 */
  failReceiving(count: number): void;
  /** receiving fetches answer after `ms` (0: at once) */
  delayReceiving(ms: number): void;
  close(): Promise<void>;
};

/** An inbound email as Resend's receiving would hold it: the test's input, the rest filled in. */
export function inboundEmail(input: InboundInput): GetReceivingEmailResponseSuccess {
  return {
    object: "email",
    id: input.id ?? randomUUID(),
    created_at: new Date().toISOString(),
    subject: "",
    bcc: null,
    cc: null,
    reply_to: null,
    received_for: input.to,
    html: null,
    text: null,
    headers: {},
    message_id: `<${randomUUID()}@mail.example.net>`,
    attachments: [],
    ...input,
  };
}

type Stored = { bodyHash: string; status: number; body: unknown } | { inProgress: true; bodyHash: string };

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  sendJson(res, status, JSON.stringify(body), headers);
}

// With its length, the answer goes out in one write (not chunked): a benchmark's provider should cost little.
function sendJson(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startFakeResend(options: FakeResendOptions = {}): Promise<FakeResend> {
  const calls: FakeCall[] = [];
  const sent: FakeEmail[] = [];
  const keys = new Map<string, Stored>();
  let failures = options.failures;
  let answerDelayMs = options.answerDelayMs ?? 0;
  const received = new Map<string, string>(); // id → the email as JSON, serialised once
  let receivingFailures = 0;
  const recentCalls: number[] = [];
  let receivingDelayMs = 0;

  const server = createServer(async (req, res) => {
    const at = Date.now();
    const path = (req.url ?? "").split("?")[0];
    const idempotencyKey = (req.headers["idempotency-key"] as string | undefined) ?? null;
    const record = (status: number, emails: number, replayed = false) =>
      calls.push({ at, path, idempotencyKey, status, emails, replayed });

    const receiving = /^\/emails\/receiving\/([^/]+)$/.exec(path);
    if (req.method === "GET" && receiving) {
      req.resume(); // no body to wait for
      if (!String(req.headers.authorization ?? "").startsWith("Bearer ")) {
        record(401, 0);
        return json(res, 401, { statusCode: 401, name: "missing_api_key", message: "Missing API key in the authorization header." });
      }
      if (receivingDelayMs > 0) await sleep(receivingDelayMs);
      if (receivingFailures > 0) {
        receivingFailures--;
        record(500, 0);
        return json(res, 500, { statusCode: 500, name: "internal_server_error", message: "Something went wrong." });
      }
      const email = received.get(decodeURIComponent(receiving[1]));
      record(email ? 200 : 404, 0);
      if (!email) return json(res, 404, { statusCode: 404, name: "not_found", message: "Email not found" });
      return sendJson(res, 200, email);
    }
    const raw = await readBody(req);

    if (req.method !== "POST" || (path !== "/emails" && path !== "/emails/batch")) {
      record(404, 0);
      return json(res, 404, { statusCode: 404, name: "not_found", message: "The requested endpoint does not exist." });
    }
    if (!String(req.headers.authorization ?? "").startsWith("Bearer ")) {
      record(401, 0);
      return json(res, 401, { statusCode: 401, name: "missing_api_key", message: "Missing API key in the authorization header." });
    }
    let payload: unknown;
    try {
      payload = JSON.parse(raw);
    } catch {
      record(422, 0);
      return json(res, 422, { statusCode: 422, name: "validation_error", message: "Invalid JSON." });
    }
    const list = (path === "/emails/batch" ? payload : [payload]) as Record<string, unknown>[];
    if (!Array.isArray(list) || list.length === 0 || list.length > 100) {
      record(422, 0);
      return json(res, 422, { statusCode: 422, name: "validation_error", message: "A batch holds 1 to 100 emails." });
    }

    if (options.callsPerSecond) {
      while (recentCalls.length > 0 && recentCalls[0] <= at - 1000) recentCalls.shift();
      if (recentCalls.length >= options.callsPerSecond) {
        record(429, list.length);
        return json(
          res,
          429,
          { statusCode: 429, name: "rate_limit_exceeded", message: `Too many requests. You can only make ${options.callsPerSecond} requests per second.` },
          { "retry-after": "1" },
        );
      }
      recentCalls.push(at);
    }

    const injected = failures?.(calls.length, { path, idempotencyKey });
    if (injected) {
      record(injected.status, list.length);
      if (injected.status === 429) {
        return json(
          res,
          429,
          { statusCode: 429, name: "rate_limit_exceeded", message: "Too many requests. You can only make 2 requests per second." },
          { "retry-after": String(injected.retryAfterSeconds) },
        );
      }
      return json(res, injected.status, { statusCode: injected.status, name: "internal_server_error", message: "Something went wrong." });
    }

    const bodyHash = createHash("sha256").update(raw).digest("hex");
    if (idempotencyKey) {
      const stored = keys.get(idempotencyKey);
      if (stored && stored.bodyHash !== bodyHash) {
        record(409, list.length);
        return json(res, 409, { statusCode: 409, name: "invalid_idempotent_request", message: "Same idempotency key used with a different request payload." });
      }
      if (stored && "inProgress" in stored) {
        record(409, list.length);
        return json(res, 409, { statusCode: 409, name: "concurrent_idempotent_requests", message: "Same idempotency key used while original request is still in progress." });
      }
      if (stored) {
        record(stored.status, list.length, true);
        return json(res, stored.status, stored.body);
      }
      keys.set(idempotencyKey, { inProgress: true, bodyHash });
    }

    const ids = list.map((e) => {
      const id = randomUUID();
      const to = Array.isArray(e.to) ? String(e.to[0]) : String(e.to);
      if (options.keepBodies === false) sent.push({ id, to, from: "", subject: "", at });
      else
        sent.push({
          id,
          to,
          from: String(e.from),
          subject: String(e.subject),
          text: e.text as string,
          html: e.html as string,
          // The SDK sends camelCase replyTo as reply_to.
          replyTo: (Array.isArray(e.reply_to) ? e.reply_to[0] : e.reply_to) as string | undefined,
          headers: e.headers as Record<string, string> | undefined,
          at,
        });
      return { id };
    });
    const body = path === "/emails/batch" ? { data: ids } : ids[0];
    if (idempotencyKey) keys.set(idempotencyKey, { bodyHash, status: 200, body });
    record(200, list.length);
    if (answerDelayMs > 0) await sleep(answerDelayMs);
    if (!res.destroyed) json(res, 200, body);
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    sent,
    setFailures: (plan) => {
      failures = plan;
    },
    setAnswerDelay: (ms) => {
      answerDelayMs = ms;
    },
    receive: (input) => {
      const email = inboundEmail(input);
      received.set(email.id, JSON.stringify(email));
      return email;
    },
    store: (emails) => {
      for (const email of emails) received.set(email.id, JSON.stringify(email));
    },
    failReceiving: (count) => {
      receivingFailures = count;
    },
    delayReceiving: (ms) => {
      receivingDelayMs = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
