import { describe, expect, it } from "vitest";
import { hasSessionCookie, sessionTokenCookie } from "./session-cookie";

describe("hasSessionCookie", () => {
  it("finds the session cookie under each name Auth.js gives it", () => {
    for (const name of [
      "authjs.session-token",
      "__Secure-authjs.session-token",
      "__Host-authjs.session-token",
      "authjs.session-token.0",
      "__Host-authjs.session-token.1",
    ]) {
      expect(hasSessionCookie([{ name: "theme" }, { name }])).toBe(true);
    }
  });

  it("ignores other cookies, look-alikes included", () => {
    expect(hasSessionCookie([])).toBe(false);
    expect(hasSessionCookie([{ name: "authjs.csrf-token" }, { name: "authjs.callback-url" }])).toBe(false);
    expect(hasSessionCookie([{ name: "xauthjs.session-token" }, { name: "authjs.session-token-x" }])).toBe(false);
  });
});

describe("the session cookie (issue 16: __Host- in production)", () => {
  it("is __Host- prefixed, Secure, Path=/ and without a Domain in production", () => {
    const cookie = sessionTokenCookie(true);
    expect(cookie.name).toBe("__Host-authjs.session-token");
    expect(cookie.options).toEqual({ httpOnly: true, sameSite: "lax", path: "/", secure: true });
    expect(cookie.options).not.toHaveProperty("domain");
  });

  it("keeps the plain name over http in development", () => {
    expect(sessionTokenCookie(false)).toMatchObject({ name: "authjs.session-token", options: { secure: false, httpOnly: true } });
  });
});
