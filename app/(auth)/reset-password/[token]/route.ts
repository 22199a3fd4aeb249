import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { recordAudit } from "@/lib/audit";
import { env } from "@/lib/env";
import { clientIp } from "@/lib/http/client-ip";
import { assertRateLimit, RateLimitedError, rateLimitedPath } from "@/lib/rate-limit";
import { checkResetToken } from "@/lib/reset-links";
import { resetCookieName, resetCookieOptions } from "@/lib/reset-links/cookie";

export const dynamic = "force-dynamic";

// Opening a link never consumes it (mail scanners open links): it only moves
// the token into a cookie and sends the browser to /reset-password.
export async function GET(request: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const db = await getDb();
  const ip = clientIp(request.headers);
  const base = env().APP_URL;
  try {
    await assertRateLimit(db, "token:ip", ip);
  } catch (error) {
    if (!(error instanceof RateLimitedError)) throw error;
    await recordAudit(db, { action: "rate_limit.exceeded", ip, detail: { policy: error.policy } });
    return NextResponse.redirect(new URL(rateLimitedPath(error), base), 303);
  }
  const check = await checkResetToken(db, token);
  if (check.status === "invalid") {
    await recordAudit(db, { action: "reset_link.invalid", ip });
  } else if (check.status === "expired") {
    await recordAudit(db, { action: "reset_link.expired", subjectId: check.userId, ip });
  }
  const response = NextResponse.redirect(new URL("/reset-password", base), 303);
  response.cookies.set(resetCookieName(), typeof token === "string" ? token.slice(0, 64) : "", resetCookieOptions());
  response.headers.set("Referrer-Policy", "no-referrer");
  response.headers.set("Cache-Control", "no-store");
  return response;
}
