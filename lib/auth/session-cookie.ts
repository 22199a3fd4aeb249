// Auth.js names its session cookie `authjs.session-token` and splits a large
// one into `.0`, `.1`, … chunks. In production we name it with the `__Host-`
// prefix (issue 16, ASVS 3.3.1): browsers then accept it only with Secure,
// Path=/ and no Domain, so neither a sibling subdomain nor plain HTTP can plant
// or overwrite it. Older cookies may still carry Auth.js's `__Secure-` prefix.
const SESSION_COOKIE = /^(__Secure-|__Host-)?authjs\.session-token(\.\d+)?$/;

/** Whether any of the request's cookies is (part of) a session cookie. */
export function hasSessionCookie(cookies: readonly { name: string }[]): boolean {
  return cookies.some((cookie) => SESSION_COOKIE.test(cookie.name));
}

/** Auth.js's `cookies.sessionToken` setting: `__Host-` and Secure in production. */
export function sessionTokenCookie(production: boolean) {
  return {
    name: production ? "__Host-authjs.session-token" : "authjs.session-token",
    options: { httpOnly: true, sameSite: "lax" as const, path: "/", secure: production },
  };
}
