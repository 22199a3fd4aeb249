// The dev mailbox: what the outbox transport captured, newest first.
import { desc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { outboxEmails } from "@/db/schema";
import { env } from "@/lib/env";

export function mailboxEnabled(): boolean {
  return env().EMAIL_TRANSPORT === "outbox";
}

export type MailboxEmail = {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** threading and loop headers, for emails that carry them (support mail) */
  headers: Record<string, string> | null;
  createdAt: Date;
};

export async function listMailbox(db: Db, to?: string, limit = 200): Promise<(MailboxEmail & { id: number })[]> {
  const query = db
    .select({
      id: outboxEmails.id,
      to: outboxEmails.to,
      subject: outboxEmails.subject,
      text: outboxEmails.text,
      html: outboxEmails.html,
      headers: outboxEmails.headers,
      createdAt: outboxEmails.createdAt,
    })
    .from(outboxEmails);
  const filtered = to ? query.where(eq(outboxEmails.to, to.trim().toLowerCase())) : query;
  return filtered.orderBy(desc(outboxEmails.id)).limit(limit);
}
