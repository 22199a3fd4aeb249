// The client's address, for rate limits and the audit trail. Forwarded headers
// are trusted only behind a proxy we were told about (TRUST_PROXY=true).
export function clientIp(headers: Headers, trustProxy = process.env.TRUST_PROXY === "true"): string {
  if (trustProxy) {
    const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded) return forwarded.slice(0, 64);
    const real = headers.get("x-real-ip")?.trim();
    if (real) return real.slice(0, 64);
  }
  // Set by proxy.ts from the socket address Next.js saw.
  return headers.get("x-reset-desk-ip")?.slice(0, 64) || "unknown";
}
