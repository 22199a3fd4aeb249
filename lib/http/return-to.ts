// Return addresses after sign-in are same-origin paths only (SPEC 5.6): a
// single leading slash, no scheme, no host, no backslash, no control
// characters, once decoded or not.
export function safeReturnTo(raw: unknown, fallback = "/account"): string {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > 512) return fallback;
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return fallback;
  }
  for (const candidate of [raw, decoded]) {
    if (!candidate.startsWith("/") || candidate.startsWith("//")) return fallback;
    if (/[\\\u0000-\u001f\u007f]/.test(candidate)) return fallback;
    if (/^\/[^/]*:/.test(candidate) && candidate.includes("://")) return fallback;
  }
  // Resolve against a dummy origin: anything that leaves it is refused.
  const base = "http://return.invalid";
  const url = new URL(raw, base);
  if (url.origin !== base) return fallback;
  if (url.pathname.startsWith("/api/")) return fallback;
  return url.pathname + url.search + url.hash;
}
