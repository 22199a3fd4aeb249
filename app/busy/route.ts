import { env } from "@/lib/env";

export const dynamic = "force-dynamic";

// The friendly page of SPEC 5.4: hashing is at capacity, so the request was
// refused at once with a real 503 and Retry-After. Nothing was changed.
export async function GET(request: Request) {
  const asked = Number(new URL(request.url).searchParams.get("retry"));
  const retry = Number.isFinite(asked) && asked > 0 ? Math.min(3600, Math.max(1, Math.round(asked))) : 5;
  const wait = retry < 90 ? `${retry} second${retry === 1 ? "" : "s"}` : `${Math.ceil(retry / 60)} minutes`;
  const nonce = (request.headers.get("x-nonce") ?? "").replace(/[^A-Za-z0-9+/=]/g, "");
  const brand = env().BRAND_NAME.replace(/[<>&"]/g, "");
  const html = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>We are very busy right now · ${brand}</title>
<style nonce="${nonce}">body{font-family:system-ui,sans-serif;margin:0;background:#f3f4f6;color:#111827;line-height:1.6}main{max-width:34rem;margin:4rem auto;background:#fff;border:1px solid #d1d5db;border-radius:.5rem;padding:1.5rem 2rem}a{color:#1e3a8a}</style></head>
<body><main><h1>We are very busy right now</h1>
<p>Many customers are signing in or changing their password at the same moment, so we could not handle your request. Nothing was changed. Please try again in about ${wait}.</p>
<p><a href="/notice">Read our notice</a> · <a href="/support/contact">Contact support</a></p></main></body></html>`;
  return new Response(html, {
    status: 503,
    headers: { "Content-Type": "text/html; charset=utf-8", "Retry-After": String(retry), "Cache-Control": "no-store" },
  });
}
