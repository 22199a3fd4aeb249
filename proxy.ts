// The first gate of every request: a fresh CSP nonce and the client address.
// Authorisation is checked again where data is read (lib/auth).
import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy, newNonce } from "@/lib/http/csp";
import { staticPageResponse } from "@/lib/http/static-page-csp";
import { env } from "@/lib/env";

export function proxy(request: NextRequest) {
  // Cached pages shared by every reader (/notice) carry no nonce: a CSP with no script.
  const staticPage = staticPageResponse(request.nextUrl.pathname, env().BRAND_COLOR);
  if (staticPage) return staticPage;
  const nonce = newNonce();
  const csp = contentSecurityPolicy(nonce);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
