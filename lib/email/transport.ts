// Two ways out for email (SPEC 2): the outbox (stored in the database, read at
// /dev/mailbox) and Resend through its SDK. Both take the same message shape.
import { Resend } from "resend";
import type { Db } from "@/db/client";
import { inArray } from "drizzle-orm";
import { outboxEmails } from "@/db/schema";
import { env } from "@/lib/env";

export type OutgoingEmail = {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Resend tags, e.g. [{ name: "kind", value: "reset_link" }] */
  tags?: { name: string; value: string }[];
  /** Reply-To: the desk's signed reply address (decision 0007) */
  replyTo?: string;
  /** Message-ID, In-Reply-To, References, Auto-Submitted… */
  headers?: Record<string, string>;
};

export class TransportError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = "TransportError";
  }
  /** 429 and 5xx (and network failures) are worth another try. */
  get transient() {
    return this.status === null || this.status === 429 || this.status >= 500;
  }
}

export interface EmailTransport {
  readonly name: "outbox" | "resend";
  send(db: Db, email: OutgoingEmail, idempotencyKey?: string): Promise<{ id: string }>;
  /** Up to 100 emails in one call; the answer lists ids in the same order. */
  sendBatch(db: Db, emails: OutgoingEmail[], idempotencyKey: string): Promise<{ ids: string[] }>;
}

function outboxHeaders(email: OutgoingEmail): Record<string, string> | null {
  if (!email.headers && !email.replyTo) return null;
  return { ...email.headers, ...(email.replyTo ? { "Reply-To": email.replyTo } : {}) };
}

// Like Resend, the outbox honours idempotency keys: a send retried under the
// same key (a resumed job, a second click) stores nothing new and answers the
// first send's ids.
async function storeInOutbox(db: Db, emails: OutgoingEmail[], keys: string[]): Promise<string[]> {
  const from = env().EMAIL_FROM;
  await db
    .insert(outboxEmails)
    .values(
      emails.map((e, i) => ({ to: e.to, from, subject: e.subject, text: e.text, html: e.html, headers: outboxHeaders(e), idempotencyKey: keys[i] })),
    )
    .onConflictDoNothing();
  const rows = await db
    .select({ id: outboxEmails.id, key: outboxEmails.idempotencyKey })
    .from(outboxEmails)
    .where(inArray(outboxEmails.idempotencyKey, keys));
  const byKey = new Map(rows.map((r) => [r.key, r.id]));
  return keys.map((k) => `outbox-${byKey.get(k)}`);
}

const outbox: EmailTransport = {
  name: "outbox",
  async send(db, email, idempotencyKey) {
    if (idempotencyKey) return { id: (await storeInOutbox(db, [email], [idempotencyKey]))[0] };
    const [row] = await db
      .insert(outboxEmails)
      .values({ to: email.to, from: env().EMAIL_FROM, subject: email.subject, text: email.text, html: email.html, headers: outboxHeaders(email) })
      .returning({ id: outboxEmails.id });
    return { id: `outbox-${row.id}` };
  },
  async sendBatch(db, emails, idempotencyKey) {
    if (emails.length === 0) return { ids: [] };
    return { ids: await storeInOutbox(db, emails, emails.map((_, i) => `${idempotencyKey}#${i}`)) };
  },
};

function resendClient(): Resend {
  const settings = env();
  return new Resend(settings.RESEND_API_KEY, settings.RESEND_BASE_URL ? { baseUrl: settings.RESEND_BASE_URL } : undefined);
}

type ResendError = { message?: string; statusCode?: number | null; name?: string } | null;

function toTransportError(error: NonNullable<ResendError>, headers?: Record<string, string> | null): TransportError {
  const retryAfter = headers?.["retry-after"] ? Number(headers["retry-after"]) : null;
  return new TransportError(
    `Resend refused the email: ${error.message ?? error.name ?? "unknown error"}`,
    error.statusCode ?? null,
    Number.isFinite(retryAfter) ? retryAfter : null,
  );
}

const resend: EmailTransport = {
  name: "resend",
  async send(_db, email, idempotencyKey) {
    const { data, error, headers } = await resendClient().emails.send(
      {
        from: env().EMAIL_FROM,
        to: email.to,
        subject: email.subject,
        html: email.html,
        text: email.text,
        tags: email.tags,
        ...(email.replyTo ? { replyTo: email.replyTo } : {}),
        ...(email.headers ? { headers: email.headers } : {}),
      },
      idempotencyKey ? { idempotencyKey } : undefined,
    );
    if (error || !data) throw toTransportError(error ?? { message: "no answer" }, headers);
    return { id: data.id };
  },
  async sendBatch(_db, emails, idempotencyKey) {
    const { data, error, headers } = await resendClient().batch.send(
      emails.map((e) => ({
        from: env().EMAIL_FROM,
        to: e.to,
        subject: e.subject,
        html: e.html,
        text: e.text,
        tags: e.tags,
        ...(e.replyTo ? { replyTo: e.replyTo } : {}),
        ...(e.headers ? { headers: e.headers } : {}),
      })),
      { idempotencyKey },
    );
    if (error || !data) throw toTransportError(error ?? { message: "no answer" }, headers);
    return { ids: data.data.map((d) => d.id) };
  },
};

export function emailTransport(): EmailTransport {
  return env().EMAIL_TRANSPORT === "resend" ? resend : outbox;
}
