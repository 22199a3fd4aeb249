// A listed password dressed up the way attackers' rules dress it: digits,
// symbols or spaces added before or after (summer2024!!, 123password,
// dragon12345678), letters swapped for look-alikes (p@ssw0rd, 4dm1n1str4t0r),
// or both. Pure: the caller says which list counts (the browser's small one,
// or the server's breach corpus). Input is NFKC-normalised and lowercased.
import { generatedPattern } from "./patterns";

const LOOK_ALIKES: Record<string, string> = {
  "0": "o",
  "1": "i",
  "3": "e",
  "4": "a",
  "5": "s",
  "7": "t",
  "8": "b",
  "9": "g",
  "@": "a",
  $: "s",
  "!": "i",
  "|": "l",
  "+": "t",
};

// Each look-alike is one UTF-16 unit and so is its letter: the swapped text has
// the same offsets as the original, and any stretch of it can be sliced out.
function undoLookAlikes(text: string, one: "i" | "l"): string {
  let out = "";
  for (const ch of text) out += ch === "1" ? one : (LOOK_ALIKES[ch] ?? ch);
  return out;
}

const LETTER = /\p{L}/u;
const YEAR = /(?:19|20)\d\d/u;
// How many added characters we try to take away at each end before the whole run.
const TRIES_PER_END = 6;
const MIN_CORE = 4;

/** Additions attackers' rules make: a few characters, a year, or a pattern of its own (12345678, !!!!!!). */
function cheapAddition(text: string): boolean {
  if (text.length <= 4) return true;
  const withoutYear = text.replace(YEAR, "");
  if (withoutYear.length <= 3) return true;
  return generatedPattern(text) !== null || (withoutYear.length >= 3 && generatedPattern(withoutYear) !== null);
}

function trimLengths(run: number): number[] {
  const lengths = new Set<number>([run]);
  for (let i = 0; i <= Math.min(run, TRIES_PER_END); i++) lengths.add(i);
  return [...lengths];
}

/**
 * True when `password` is an entry of the list (`listed`) with cheap additions
 * at either end, look-alike swaps, or both. The plain entry itself is the
 * caller's exact lookup, not a variant.
 */
export function isListedVariant(password: string, listed: (candidate: string) => boolean): boolean {
  const chars = Array.from(password);
  const n = chars.length;
  let leading = 0;
  while (leading < n && !LETTER.test(chars[leading])) leading++;
  let trailing = 0;
  while (trailing < n - leading && !LETTER.test(chars[n - 1 - trailing])) trailing++;
  const cheap = new Map<string, boolean>();
  const isCheap = (text: string) => {
    if (!cheap.has(text)) cheap.set(text, cheapAddition(text));
    return cheap.get(text)!;
  };
  // Where each character starts, in UTF-16 units, to slice cores out of the strings.
  const offsets: number[] = [0];
  for (const ch of chars) offsets.push(offsets[offsets.length - 1] + ch.length);
  const swapped = { i: undoLookAlikes(password, "i"), l: undoLookAlikes(password, "l") };
  for (const front of trimLengths(leading)) {
    for (const back of trimLengths(trailing)) {
      if (n - back - front < MIN_CORE) continue;
      if (front > 0 && !isCheap(password.slice(0, offsets[front]))) continue;
      if (back > 0 && !isCheap(password.slice(offsets[n - back]))) continue;
      const from = offsets[front];
      const to = offsets[n - back];
      const plain = password.slice(from, to);
      if ((front > 0 || back > 0) && listed(plain)) return true;
      for (const one of ["i", "l"] as const) {
        const undone = swapped[one].slice(from, to);
        if (undone !== plain && listed(undone)) return true;
      }
    }
  }
  return false;
}
