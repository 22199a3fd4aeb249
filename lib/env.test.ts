import { describe, expect, it } from "vitest";
import { parseEnv } from "./env";

const base = { AUTH_SECRET: "x".repeat(40) };

describe("settings (SPEC 2)", () => {
  it("has working defaults", () => {
    const e = parseEnv(base);
    expect(e).toMatchObject({ EMAIL_TRANSPORT: "outbox", PASSWORD_MIN_LENGTH: 15, APP_URL: "http://localhost:3000" });
  });

  it.each([
    [{ AUTH_SECRET: "short" }, /AUTH_SECRET/],
    [{ ...base, PASSWORD_MIN_LENGTH: "6" }, /PASSWORD_MIN_LENGTH/],
    [{ ...base, APP_URL: "not a url" }, /APP_URL/],
    [{ ...base, NODE_ENV: "production", APP_URL: "http://shop.example.com" }, /APP_URL: must use https/],
    [{ ...base, EMAIL_TRANSPORT: "resend" }, /RESEND_API_KEY/],
    [{ ...base, EMAIL_TRANSPORT: "pigeon" }, /EMAIL_TRANSPORT/],
    [{ ...base, BRAND_COLOR: "blue" }, /BRAND_COLOR/],
    [{ ...base, DATABASE_URL: "mysql://x" }, /DATABASE_URL/],
    [{ ...base, RATE_LIMIT_SIGNIN_PER_IP: "-1" }, /RATE_LIMIT_SIGNIN_PER_IP/],
    [{ ...base, RATE_LIMIT_SIGNIN_ATTEMPTS_PER_IP: "50" }, /RATE_LIMIT_SIGNIN_ATTEMPTS_PER_IP: must be at least/],
    [{ ...base, TRUST_PROXY: "yes" }, /TRUST_PROXY: "yes" is not an address/],
    [{ ...base, TRUST_PROXY: "10.0.0.0/8, 300.0.0.1" }, /TRUST_PROXY/],
    [{ ...base, SERVER_WORKERS: "0" }, /SERVER_WORKERS: SERVER_WORKERS must be "auto" or a whole number/],
  ])("refuses %j with a message naming the variable", (source, message) => {
    expect(() => parseEnv(source as Record<string, string>)).toThrow(message);
  });

  it("reads TRUST_PROXY as false, a hop count or a list of addresses and ranges", () => {
    for (const value of ["false", "0", "1", "true", "3", "10.0.0.0/8, loopback, 2001:db8::/32"]) {
      expect(parseEnv({ ...base, TRUST_PROXY: value }).TRUST_PROXY).toBe(value);
    }
    expect(parseEnv(base).TRUST_PROXY).toBe("false");
  });

  it("caps all sign-in attempts per IP at 3000 by default, never below the failure budget", () => {
    expect(parseEnv(base).RATE_LIMIT_SIGNIN_ATTEMPTS_PER_IP).toBe(3000);
    expect(parseEnv({ ...base, RATE_LIMIT_SIGNIN_PER_IP: "100000" }).RATE_LIMIT_SIGNIN_ATTEMPTS_PER_IP).toBe(100000);
    expect(parseEnv({ ...base, RATE_LIMIT_SIGNIN_ATTEMPTS_PER_IP: "500" }).RATE_LIMIT_SIGNIN_ATTEMPTS_PER_IP).toBe(500);
  });

  it("defaults to Resend in production", () => {
    expect(parseEnv({ ...base, NODE_ENV: "production", RESEND_API_KEY: "re_test" }).EMAIL_TRANSPORT).toBe("resend");
  });
});

describe("support by email settings", () => {
  const base = { AUTH_SECRET: "x".repeat(32) };
  it("parses extra inbound addresses and refuses a bad one or a short token key", () => {
    const e = parseEnv({ ...base, SUPPORT_INBOUND_ADDRESSES: "Help@Shop.example, billing@shop.example" });
    expect(e.SUPPORT_INBOUND_ADDRESSES).toEqual(["help@shop.example", "billing@shop.example"]);
    expect(e.SUPPORT_INBOUND_MAX_BYTES).toBe(100_000);
    expect(() => parseEnv({ ...base, SUPPORT_INBOUND_ADDRESSES: "help@shop.example, not-an-address" })).toThrow(/SUPPORT_INBOUND_ADDRESSES/);
    expect(() => parseEnv({ ...base, SUPPORT_REPLY_TOKEN_KEY: "short" })).toThrow(/SUPPORT_REPLY_TOKEN_KEY/);
    expect(() => parseEnv({ ...base, SUPPORT_INBOUND_NEW_PER_HOUR: "0" })).toThrow(/SUPPORT_INBOUND_NEW_PER_HOUR/);
  });
});
