// The first gate of every request (pages and data are checked again in lib/):
// a fresh CSP nonce; the session re-checked against the database by next-auth's
// jwt callback (a dead session's cookie is cleared); a blocked session sent to
// /account/password-expired or refused; signed-out visitors of protected pages
// sent to sign in with a same-site return address.
import { NextResponse, type NextFetchEvent, type NextRequest } from "next/server";
import { auth } from "@/lib/auth/config";
import { hasSessionCookie } from "@/lib/auth/session-cookie";
import { contentSecurityPolicy, newNonce } from "@/lib/http/csp";
import { staticPageResponse } from "@/lib/http/static-page-csp";
import { env } from "@/lib/env";
import { isOpenWhileBlocked, needsSignIn } from "@/lib/http/routes";

type GateUser = { blocked?: boolean } | undefined;

function gate(request: NextRequest, user: GateUser): NextResponse {
  const path = request.nextUrl.pathname;
  const isAction = request.headers.has("next-action");
  const isApi = path.startsWith("/api/");

  const nonce = newNonce();
  const csp = contentSecurityPolicy(nonce);
  // Our own redirects and refusals carry the policy too (SPEC 5.5).
  const withCsp = (response: NextResponse) => {
    response.headers.set("Content-Security-Policy", csp);
    return response;
  };

  if (user?.blocked && !isOpenWhileBlocked(path)) {
    if (isAction || isApi || request.method !== "GET") {
      return withCsp(
        NextResponse.json(
          { error: "Your password has expired. Set a new one from the link we email you." },
          { status: 403 },
        ),
      );
    }
    return withCsp(NextResponse.redirect(new URL("/account/password-expired", request.nextUrl)));
  }
  if (!user && needsSignIn(path) && request.method === "GET") {
    const login = new URL("/login", request.nextUrl);
    login.searchParams.set("next", path + request.nextUrl.search);
    return withCsp(NextResponse.redirect(login));
  }

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  if (path.startsWith("/reset-password")) {
    response.headers.set("Referrer-Policy", "no-referrer");
    response.headers.set("Cache-Control", "no-store");
  }
  return response;
}

// The session is read (and re-checked against the database) only when the
// request carries a session cookie: a visitor without one is signed out, and
// sparing Auth.js's session action for them keeps sign-in posts cheap.
const gateWithSession = auth((request) => gate(request, request.auth?.user as GateUser));

// With a lazy next-auth config, auth(handler) resolves to the handler.
export async function proxy(request: NextRequest, event: NextFetchEvent) {
  // Cached pages shared by every reader (/notice): no nonce, no session, no
  // database (docs/decisions/0003-notice-caching.md).
  const staticPage = staticPageResponse(request.nextUrl.pathname, env().BRAND_COLOR);
  if (staticPage) return staticPage;
  if (!hasSessionCookie(request.cookies.getAll())) return gate(request, undefined);
  const handler = (await gateWithSession) as unknown as (r: NextRequest, e: NextFetchEvent) => Promise<Response>;
  return handler(request, event);
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
