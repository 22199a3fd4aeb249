// POST /api/webhooks/resend: Resend's delivery events, verified on the raw body.
import { getDb } from "@/db/client";
import { handleResendWebhook } from "@/lib/webhooks";

const MAX_BYTES = 256 * 1024;

export async function POST(request: Request) {
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BYTES) {
    return Response.json({ ok: false, error: "The event is too large." }, { status: 413 });
  }
  const raw = await request.text();
  if (raw.length > MAX_BYTES) return Response.json({ ok: false, error: "The event is too large." }, { status: 413 });
  const answer = await handleResendWebhook(await getDb(), raw, request.headers);
  return Response.json(answer.body, { status: answer.status, headers: { "cache-control": "no-store" } });
}
