// The Content-Security-Policy of every page (SPEC 5.5): scripts only from this
// origin with this response's nonce, never inline without it, never framed.
/** One policy shape for every page; only the script, style and image sources differ. */
export function buildPolicy(sources: { script: string; style: string; img: string }): string {
  return [
    "default-src 'self'",
    `script-src ${sources.script}`,
    `style-src ${sources.style}`,
    "style-src-attr 'unsafe-inline'",
    `img-src ${sources.img}`,
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function contentSecurityPolicy(nonce: string, dev = process.env.NODE_ENV === "development") {
  return buildPolicy({
    script: `'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    style: `'self' 'nonce-${nonce}'${dev ? " 'unsafe-inline'" : ""}`,
    img: "'self' data: blob:",
  });
}

export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString("base64");
}
