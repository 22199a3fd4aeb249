// Hostile input for the abuse suite (SPEC 5.8): every kind of Unicode, control
// characters, lone surrogates (invalid UTF-8 once encoded), huge strings,
// wrong types and missing values.
import fc from "fast-check";

const controlChar = fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c));
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const markup = fc.constantFrom(
  `<script>alert(1)</script>`,
  `"><img src=x onerror=alert(1)>`,
  `'; drop table users; --`,
  `%00`,
  `\u202e`,
  `${"\u0000"}admin@example.com`,
  `ﷺ`.repeat(40), // expands 18-fold under NFKC
);

/** Strings of every shape: printable, any code point, control characters, lone surrogates, markup. */
export const hostileString = fc.oneof(
  fc.string({ unit: "binary", maxLength: 64 }),
  fc.string({ unit: fc.oneof(controlChar, loneSurrogate, fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 })), maxLength: 64 }),
  markup,
  fc.tuple(fc.string({ maxLength: 8 }), markup, fc.string({ unit: "binary", maxLength: 8 })).map((p) => p.join("")),
);

/** Much longer than any field accepts. */
export const hugeString = fc
  .tuple(fc.constantFrom("a", "é", "😀", "\u0000", "ﷺ", " "), fc.integer({ min: 1_000, max: 200_000 }))
  .map(([c, n]) => c.repeat(n));

/** Anything a form value or JSON field could be, and what it should never be. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 1, arbitrary: hugeString },
  { weight: 1, arbitrary: fc.constantFrom(undefined, null, true, false, 0, -1, NaN, Infinity, 1e308) },
  { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 5 }), hostileString, { maxKeys: 3 }) },
);

/** Email-shaped strings that still are not a real account (with hostile parts). */
export const hostileEmail = fc.oneof(
  hostileString,
  fc.tuple(hostileString, hostileString).map(([a, b]) => `${a}@${b}`),
  fc.tuple(hostileString).map(([a]) => `${a}@nobody.example`),
);

export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS || 60);
