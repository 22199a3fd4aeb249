// Pages served from the static cache (today only /notice). Such a page is
// rendered once for every reader, so it cannot carry a per-request nonce;
// instead it runs no script at all (the notice needs none and works without
// JavaScript) and allows only the one inline style the root layout writes, by
// its hash. See docs/decisions/0003-notice-caching.md.
import { createHash } from "node:crypto";
import { NextResponse } from "next/server";
import { buildPolicy } from "./csp";

/** The root layout's inline style (app/layout.tsx), whose hash the static CSP allows. */
export function brandStyle(brandColor: string): string {
  return `:root{--brand:${brandColor};}`;
}

export function staticPageCsp(brandColor: string, dev = process.env.NODE_ENV === "development"): string {
  const styleHash = createHash("sha256").update(brandStyle(brandColor)).digest("base64");
  return buildPolicy({
    script: dev ? "'self' 'unsafe-eval' 'unsafe-inline'" : "'none'",
    style: `'self' 'sha256-${styleHash}'${dev ? " 'unsafe-inline'" : ""}`,
    img: "'self' data:",
  });
}

/**
 * proxy.ts's answer for a static page path, or null for every other path.
 * /notice/<anything> is refused here, so that made-up paths never fill the
 * page cache (the notice route is an optional catch-all).
 */
export function staticPageResponse(pathname: string, brandColor: string): NextResponse | null {
  if (pathname === "/notice") {
    const response = NextResponse.next();
    response.headers.set("Content-Security-Policy", staticPageCsp(brandColor));
    return response;
  }
  if (pathname.startsWith("/notice/")) {
    return new NextResponse("Not found", {
      status: 404,
      headers: { "content-type": "text/plain; charset=utf-8", "Content-Security-Policy": "default-src 'none'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'" },
    });
  }
  return null;
}
