// For server.mjs's copy of the notice (lib/http/notice-memory.mjs): the
// published notice's version, and when the caller's copy is older, this
// instance's cached page is expired first so that the copy taken next is
// fresh. Only the process itself may ask (a per-process token).
import { timingSafeEqual } from "node:crypto";
import { getDb } from "@/db/client";
import { noticeVersion } from "@/lib/incident/notice";
import { expireNoticeElsewhere } from "@/lib/incident/published";

export const dynamic = "force-dynamic";

function fromThisProcess(request: Request): boolean {
  const expected = process.env.RESET_DESK_INTERNAL_TOKEN;
  const given = request.headers.get("x-reset-desk-internal");
  if (!expected || !given || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

export async function GET(request: Request) {
  if (!fromThisProcess(request)) return new Response("Not found", { status: 404, headers: { "cache-control": "no-store" } });
  const version = await noticeVersion(await getDb());
  const known = new URL(request.url).searchParams.get("known");
  if (known !== version) expireNoticeElsewhere();
  return Response.json({ version }, { headers: { "cache-control": "no-store" } });
}
