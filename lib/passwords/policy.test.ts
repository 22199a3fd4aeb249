import { describe, expect, it } from "vitest";
import { blocklistSize } from "./blocklist";
import { codePointLength, newPasswordSchema, passwordProblems } from "./policy";

const ctx = { email: "jane.doe@example.com", brandName: "Northwind Outfitters" };
// 128 code points that repeat nothing (a repeated phrase is refused as a pattern).
const LONGEST =
  "a quiet river bends past the old mill where herons wait for dusk, and ferry lanterns glow over the water until a late tram hums!";

describe("password policy (SPEC 4.5)", () => {
  it("ships a blocklist of at least 10,000 common passwords", () => {
    expect(blocklistSize()).toBeGreaterThanOrEqual(10_000);
  });

  it("counts length in code points after NFKC normalisation", () => {
    expect(codePointLength("😀😀😀")).toBe(3);
    // U+FB01 (the "fi" ligature) becomes two letters under NFKC: 14 code points typed, 18 counted.
    expect(passwordProblems("\uFB01ve \uFB01sh \uFB01nd \uFB01r", 16, {})).toEqual([]);
    expect(passwordProblems("😀".repeat(14), 15, {})[0]).toMatch(/at least 15/);
    expect(passwordProblems("😀".repeat(15) + "x", 15, {})).toEqual([]);
  });

  it("accepts 64+ characters, spaces and any script; refuses 129", () => {
    expect(passwordProblems("ünïcödé and spaces, any script: 日本語の文字も使えます, and words after that", 15, ctx)).toEqual([]);
    expect(codePointLength(LONGEST)).toBe(128);
    expect(passwordProblems(LONGEST, 15, ctx)).toEqual([]);
    expect(passwordProblems("x".repeat(64) + " plus more words", 15, ctx)).toEqual([]);
    expect(passwordProblems("ab cd ".repeat(22).slice(0, 129), 15, ctx)[0]).toMatch(/at most 128/);
  });

  it("refuses common passwords, the email name and the brand name", () => {
    expect(passwordProblems("passwordpassword", 15, ctx)[0]).toMatch(/too common/);
    expect(passwordProblems("123456789012345", 15, ctx)[0]).toMatch(/too common/);
    expect(passwordProblems("my name is jane.doe ok", 15, ctx)[0]).toMatch(/email name/);
    expect(passwordProblems("i shop at northwind daily", 15, ctx)[0]).toMatch(/company's name/);
  });

  it("checks that the confirmation matches, in one schema", () => {
    const schema = newPasswordSchema(15, ctx);
    const result = schema.safeParse({ password: "lantern harbour quietly", confirm: "lantern harbour quiet" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].path).toEqual(["confirm"]);
    expect(schema.safeParse({ password: "lantern harbour quietly", confirm: "lantern harbour quietly" }).success).toBe(true);
  });
});
