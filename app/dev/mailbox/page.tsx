import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { listMailbox, mailboxEnabled } from "@/lib/email/mailbox";
import { env } from "@/lib/env";
import { sendTestEmailAction } from "./actions";

export const metadata: Metadata = { title: "Dev mailbox", robots: { index: false } };

export default async function MailboxPage({ searchParams }: { searchParams: Promise<{ to?: string; sent?: string; error?: string }> }) {
  if (!mailboxEnabled()) notFound();
  const { to, sent, error } = await searchParams;
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
      <h2>Send a test email into the desk</h2>
      <p className="muted">
        As if a customer wrote to {env().SUPPORT_EMAIL}: a signed email.received event goes to the webhook, and the
        desk files it as Resend&apos;s receiving would.
      </p>
      {sent ? (
        <p className="status status-ok" role="status">
          Sent into the desk.
        </p>
      ) : null}
      {typeof error === "string" ? (
        <p className="status status-bad" role="alert">
          {error.slice(0, 200)}
        </p>
      ) : null}
      <form action={sendTestEmailAction} className="form narrow">
        <div className="field">
          <label htmlFor="test-from">From</label>
          <input id="test-from" name="from" required maxLength={320} placeholder="Pat Customer <pat@example.com>" />
        </div>
        <div className="field">
          <label htmlFor="test-to">To</label>
          <input id="test-to" name="to" maxLength={320} defaultValue={env().SUPPORT_EMAIL} />
        </div>
        <div className="field">
          <label htmlFor="test-in-reply-to">In-Reply-To (optional)</label>
          <input id="test-in-reply-to" name="inReplyTo" maxLength={300} />
        </div>
        <div className="field">
          <label htmlFor="test-subject">Subject</label>
          <input id="test-subject" name="subject" maxLength={300} />
        </div>
        <div className="field">
          <label htmlFor="test-text">Message</label>
          <textarea id="test-text" name="text" rows={5} maxLength={100000} />
        </div>
        <div>
          <button type="submit">Send test email</button>
        </div>
      </form>

      <h2>Captured emails</h2>
      {emails.length === 0 ? <p>No emails yet.</p> : null}
      <ol className="stack" style={{ listStyle: "none", padding: 0 }}>
        {emails.map((email) => (
          <li key={email.id} className="panel">
            <h3 style={{ marginTop: 0 }}>{email.subject}</h3>
            <p className="muted">
              To {email.to} · <time dateTime={email.createdAt.toISOString()}>{email.createdAt.toUTCString()}</time>
            </p>
            {email.headers ? (
              <p className="muted">
                {Object.entries(email.headers)
                  .map(([name, value]) => `${name}: ${value}`)
                  .join(" · ")}
              </p>
            ) : null}
            <pre style={{ whiteSpace: "pre-wrap", fontFamily: "inherit" }}>{email.text}</pre>
          </li>
        ))}
      </ol>
    </div>
  );
}
