// Auth.js names its session cookie `authjs.session-token`, with a `__Secure-`
// prefix over HTTPS, and splits a large one into `.0`, `.1`, … chunks.
const SESSION_COOKIE = /^(__Secure-)?authjs\.session-token(\.\d+)?$/;

/** Whether any of the request's cookies is (part of) a session cookie. */
export function hasSessionCookie(cookies: readonly { name: string }[]): boolean {
  return cookies.some((cookie) => SESSION_COOKIE.test(cookie.name));
}
