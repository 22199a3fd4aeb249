import { describe, expect, it } from "vitest";
import { hasSessionCookie } from "./session-cookie";

describe("hasSessionCookie", () => {
  it("finds the session cookie under each name Auth.js gives it", () => {
    for (const name of ["authjs.session-token", "__Secure-authjs.session-token", "authjs.session-token.0", "__Secure-authjs.session-token.1"]) {
      expect(hasSessionCookie([{ name: "theme" }, { name }])).toBe(true);
    }
  });

  it("ignores other cookies, look-alikes included", () => {
    expect(hasSessionCookie([])).toBe(false);
    expect(hasSessionCookie([{ name: "authjs.csrf-token" }, { name: "authjs.callback-url" }])).toBe(false);
    expect(hasSessionCookie([{ name: "xauthjs.session-token" }, { name: "authjs.session-token-x" }])).toBe(false);
  });
});
