import { describe, expect, it } from "vitest";
import { safeReturnTo } from "./return-to";

describe("safeReturnTo (SPEC 5.6: no open redirect)", () => {
  it.each([
    "https://evil.example/",
    "//evil.example/path",
    "/\\evil.example",
    "\\\\evil.example",
    "/%2F%2Fevil.example",
    "%2F%2Fevil.example",
    "/%5Cevil.example",
    "javascript:alert(1)",
    "/\tevil",
    "http:/evil.example",
    "evil.example",
    "",
    "/api/auth/signout",
  ])("refuses %j", (raw) => {
    expect(safeReturnTo(raw)).toBe("/account");
  });

  it.each(["/account", "/support/customers/12?tab=activity", "/admin/notice#faq"])("keeps %j", (raw) => {
    expect(safeReturnTo(raw)).toBe(raw);
  });
});
