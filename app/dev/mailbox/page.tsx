import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { listMailbox, mailboxEnabled } from "@/lib/email/mailbox";

export const metadata: Metadata = { title: "Dev mailbox", robots: { index: false } };

export default async function MailboxPage({ searchParams }: { searchParams: Promise<{ to?: string }> }) {
  if (!mailboxEnabled()) notFound();
  const { to } = await searchParams;
  const emails = await listMailbox(await getDb(), typeof to === "string" ? to : undefined, 100);
  return (
    <div className="stack">
      <h1>Dev mailbox</h1>
      <p className="muted">
        Emails captured by the outbox transport (EMAIL_TRANSPORT=outbox), newest first. Nothing here was sent.
      </p>
      <form method="get" className="form narrow">
        <div className="field">
          <label htmlFor="to">Recipient</label>
          <input id="to" name="to" type="email" defaultValue={typeof to === "string" ? to : ""} />
        </div>
        <div>
          <button type="submit">Filter</button>
        </div>
      </form>
      {emails.length === 0 ? <p>No emails yet.</p> : null}
      <ol className="stack" style={{ listStyle: "none", padding: 0 }}>
        {emails.map((email) => (
          <li key={email.id} className="panel">
            <h2 style={{ marginTop: 0 }}>{email.subject}</h2>
            <p className="muted">
              To {email.to} · <time dateTime={email.createdAt.toISOString()}>{email.createdAt.toUTCString()}</time>
            </p>
            <pre style={{ whiteSpace: "pre-wrap", fontFamily: "inherit" }}>{email.text}</pre>
          </li>
        ))}
      </ol>
    </div>
  );
}
