import { getDb } from "@/db/client";
import { listMailbox, mailboxEnabled } from "@/lib/email/mailbox";

export const dynamic = "force-dynamic";

// Only with the outbox transport: [{to, subject, text, html, createdAt}], newest first
// (support mail also carries its threading headers).
export async function GET(request: Request) {
  if (!mailboxEnabled()) return new Response("Not found", { status: 404 });
  const to = new URL(request.url).searchParams.get("to") ?? undefined;
  if (to !== undefined && to.length > 254) return Response.json({ error: "to is too long" }, { status: 400 });
  const emails = await listMailbox(await getDb(), to);
  return Response.json(
    emails.map(({ to, subject, text, html, headers, createdAt }) => ({
      to,
      subject,
      text,
      html,
      createdAt,
      ...(headers ? { headers } : {}),
    })),
    { headers: { "Cache-Control": "no-store" } },
  );
}
