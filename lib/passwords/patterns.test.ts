import { describe, expect, it } from "vitest";
import { generatedPattern, isRepeatedRun } from "./patterns";
import { passwordIssues } from "./policy";

// Each family with passwords of at least 15 characters that attackers generate.
const families = {
  repeat: [
    "123123123123123",
    "123451234512345",
    "abcabcabcabcabcabc",
    "zzzzzzzzzzzzzzzz",
    "hello-hello-hello-hello",
    "9x9x9x9x9x9x9x9x",
    "bluefish bluefish",
  ],
  keyboard: [
    "qwertyuiopasdfg",
    "qwertyuiopasdfghjkl",
    "poiuytrewqlkjhgfdsa",
    "1qaz2wsx3edc4rfv",
    "zaq1xsw2cde3vfr4",
    "qazwsxedcrfvtgbyhn",
    "!@#$%^&*()_+qwerty",
    "asdfghjkl;'zxcvbnm",
    "1234567890qwertyuiop",
  ],
  sequence: [
    "abcdefghijklmnop",
    "zyxwvutsrqponmlk",
    "987654321098765",
    "1357913579135791",
    "123456789101112131415",
    "2019202020212022",
    "acegikmoqsuwy",
  ],
} as const;

describe("generated patterns (issue 15, section 3)", () => {
  for (const [family, passwords] of Object.entries(families)) {
    it(`recognises the ${family} family`, () => {
      for (const password of passwords) {
        expect(generatedPattern(password), password).not.toBeNull();
        // Refused with a reason even in the browser, which has no corpus.
        expect(passwordIssues(password, 13).length, password).toBe(1);
      }
    });
  }

  it("names the family in the reason", () => {
    expect(passwordIssues("123123123123123", 15)[0].code).toBe("repeat");
    expect(passwordIssues("qwertyuiopasdfg", 15)[0].code).toBe("keyboard");
    expect(passwordIssues("abcdefghijklmnop", 15)[0].code).toBe("sequence");
    expect(passwordIssues("qwertyuiopasdfg", 15)[0].message).toMatch(/walk along the keyboard/);
  });

  it("mixes of long pattern pieces count, a mosaic of short ones does not", () => {
    expect(generatedPattern("qwerty123456789")).not.toBeNull(); // 2 pieces
    expect(generatedPattern("aaaaa12345zxcvb")).not.toBeNull(); // 3 pieces in 15
    expect(generatedPattern("abc-qaz-321-zzz-xyz-poi")).toBeNull(); // 6 pieces in 23
  });

  it("leaves passphrases and random strings alone", () => {
    for (const password of [
      "Lantern-Quokka-7319-Ribbon",
      "violet kettles hum at midnight",
      "tree were fresh dew",
      "the cat sat on my warm mat",
      "xK4!tZ9#rQ2@lM7w",
      "ünïcödé and spaces ünïcödé",
    ]) {
      expect(generatedPattern(password.toLowerCase()), password).toBeNull();
    }
    expect(isRepeatedRun("abcab")).toBe(false); // a period of 3 in 5: not repeated once
  });

  it("answers a 128-character input quickly", () => {
    const inputs = ["q".repeat(128), "qwertyuiop".repeat(13).slice(0, 128), "a1b2c3d4e5f6g7h8".repeat(8), "x".repeat(64) + "lantern-quokka-".repeat(5)];
    const started = performance.now();
    for (let i = 0; i < 100; i++) for (const s of inputs) generatedPattern(s);
    expect((performance.now() - started) / 400).toBeLessThan(2); // ms a check; an Argon2 hash is ~9
  });
});
