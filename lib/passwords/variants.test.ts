import { describe, expect, it } from "vitest";
import { inCommonList } from "./blocklist";
import { inBreachCorpus } from "./corpus";
import { newPasswordIssues } from "./new-password";
import { passwordIssues } from "./policy";
import { isListedVariant } from "./variants";

const listed = (word: string) => ["password", "summer", "dragon", "administrator", "monkey"].includes(word);

describe("variants of listed passwords (issue 15, section 3)", () => {
  it("digits or symbols added before or after", () => {
    for (const password of ["password2024!!", "summer2024!", "123password", "dragon12345678", "!!!!monkey!!!!", "monkey 1987", "2024summer2024"]) {
      expect(isListedVariant(password, listed), password).toBe(true);
    }
  });

  it("look-alike letters, with or without additions", () => {
    for (const password of ["p@ssw0rd", "p455w0rd", "4dm1n1str4t0r", "$umm3r2024", "dr4g0n!!", "m0nk3y123"]) {
      expect(isListedVariant(password, listed), password).toBe(true);
    }
  });

  it("not when the addition is long and random, or the core is not listed", () => {
    expect(isListedVariant("password83749261937", listed)).toBe(false); // 11 random digits are no rule
    expect(isListedVariant("lantern-quokka-7319-ribbon", listed)).toBe(false);
    expect(isListedVariant("password", listed)).toBe(false); // the plain entry is the exact lookup's job
  });

  it("the browser checks its small list, the server the corpus too", () => {
    expect(passwordIssues("P@ssw0rd2024!!!!", 15).length).toBe(1);
    expect(passwordIssues("!!!!Summer2024!!", 15)[0].code).toBe("variant");
    // A corpus entry that the small list lacks, dressed up: only the server sees it.
    expect(inBreachCorpus("perasperaadastra") && !inCommonList("perasperaadastra")).toBe(true);
    expect(passwordIssues("PerAsperaAdAstra2024!", 15)).toEqual([]);
    expect(newPasswordIssues("PerAsperaAdAstra2024!", 15).map((p) => p.code)).toEqual(["variant"]);
    expect(newPasswordIssues("P3r@sp3r@@d@str@", 15).map((p) => p.code)).toEqual(["variant"]);
  });
});
