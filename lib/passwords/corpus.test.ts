import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { breachCorpusStats, buildKeys, corpusPath, inBreachCorpus } from "./corpus";
import { newPasswordIssues, newPasswordProblems } from "./new-password";
import { passwordIssues } from "./policy";

// The list exactly as shipped, one leaked password a line.
const entries = fs.readFileSync(corpusPath(), "utf8").split("\n").filter(Boolean);
const normal = (s: string) => s.normalize("NFKC").toLowerCase();

function seeded(seed: number) {
  return () => {
    seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return seed / 2 ** 32;
  };
}

describe("the breach corpus (issue 15, section 3)", () => {
  it("holds a million leaked passwords: 999,999 lines, 961,927 distinct once lowercased, in 7.7 MB", () => {
    expect(entries).toHaveLength(999_999);
    const stats = breachCorpusStats();
    expect(stats).toMatchObject({ lines: 999_999, distinct: 961_927 });
    // Exactly the distinct count: no two distinct entries share a 64-bit key.
    expect(new Set(entries.map(normal)).size).toBe(stats.distinct);
    expect(stats.bytes).toBe(stats.distinct * 8);
  });

  it("refuses every one of 2,000 entries drawn at random (seeded), as a leaked password or a pattern", () => {
    const random = seeded(15);
    const refused: string[] = [];
    for (let i = 0; i < 2_000; i++) {
      const entry = entries[Math.floor(random() * entries.length)];
      expect(inBreachCorpus(normal(entry)), entry).toBe(true);
      // Length aside (minimum 1), the entry itself is refused for what it is.
      const codes = newPasswordIssues(entry, 1).map((p) => p.code);
      if (codes.length && !["too-short", "too-long"].includes(codes[0])) refused.push(entry);
    }
    expect(refused).toHaveLength(2_000);
  });

  it("refuses every entry of 15 characters or more at the default minimum, most of which the browser's list misses", () => {
    const long = entries.filter((e) => Array.from(e.normalize("NFKC")).length >= 15);
    expect(long.length).toBe(9_747);
    const accepted = long.filter((e) => newPasswordIssues(e, 15).length === 0);
    expect(accepted).toEqual([]);
    const browserAccepts = long.filter((e) => passwordIssues(e, 15).length === 0).length;
    expect(browserAccepts).toBeGreaterThan(long.length / 2); // why the server must hold the corpus
  });

  it("refuses the issue's three examples, which the old list accepted", () => {
    for (const password of ["123123123123123", "qwertyuiopasdfg", "123451234512345"]) {
      expect(inBreachCorpus(password)).toBe(true);
      expect(newPasswordProblems(password, 15).password, password).toHaveLength(1);
    }
  });

  it("finds an entry whatever its case, and a corpus-only entry with the leaked-list reason", () => {
    expect(inBreachCorpus(normal("PerAsperaAdAstra"))).toBe(true);
    expect(passwordIssues("PerAsperaAdAstra", 15)).toEqual([]);
    expect(newPasswordIssues("PerAsperaAdAstra", 15).map((p) => p.code)).toEqual(["breached"]);
    expect(newPasswordProblems("PerAsperaAdAstra", 15).password?.[0]).toMatch(/leaked passwords/);
  });

  it("does not refuse random or long passwords: 5,000 seeded random 16-character strings are not in it", () => {
    const random = seeded(7);
    const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789!#%&*-_";
    for (let i = 0; i < 5_000; i++) {
      const s = Array.from({ length: 16 }, () => alphabet[Math.floor(random() * alphabet.length)]).join("");
      expect(inBreachCorpus(s), s).toBe(false);
    }
    for (const good of ["Lantern-Quokka-7319-Ribbon", "violet kettles hum at midnight", "Mellow-Turnip-Gazebo-41", "xK4!tZ9#rQ2@lM7w"]) {
      expect(newPasswordProblems(good, 15), good).toEqual({});
    }
  });

  it("keys sort and deduplicate: case (ASCII or not), CRLF and blank lines do not make entries", () => {
    const { count, lines } = buildKeys(Buffer.from("Alpha\r\nalpha\n\nbeta\ngamma\nÉCOLE\nécole"));
    expect(lines).toBe(6);
    expect(count).toBe(4);
  });
});
