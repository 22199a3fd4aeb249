// Passwords that attackers generate rather than look up: a short run repeated
// (123123123123123), keyboard walks (qwertyuiopasdfg, 1qaz2wsx), counting up or
// down (123456789012345, 9876543210, abcdefgh, 891011121314). Pure and small,
// so the browser runs it too. Input is already NFKC-normalised and lowercased.

export type PatternKind = "repeat" | "keyboard" | "sequence";

// US QWERTY, unshifted; shifted symbols are mapped back onto these keys.
const ROWS = ["`1234567890-=", "qwertyuiop[]\\", "asdfghjkl;'", "zxcvbnm,./"];
const SHIFTED = ["~!@#$%^&*()_+", "qwertyuiop{}|", 'asdfghjkl:"', "zxcvbnm<>?"];

type Key = { row: number; col: number };
const KEYS = new Map<string, Key>();
ROWS.forEach((row, r) => [...row].forEach((ch, c) => KEYS.set(ch, { row: r, col: c })));
SHIFTED.forEach((row, r) => [...row].forEach((ch, c) => KEYS.has(ch) || KEYS.set(ch, { row: r, col: c })));

// Where a row ends for someone typing the rows in order (…0 then q, …p then a, …l then z).
const ROW_END = [10, 9, 8];

function keyboardAdjacent(x: string, y: string): boolean {
  const a = KEYS.get(x);
  const b = KEYS.get(y);
  if (!a || !b) return false;
  if (a.row === b.row) return Math.abs(a.col - b.col) <= 1;
  const [upper, lower] = a.row < b.row ? [a, b] : [b, a];
  if (lower.row - upper.row !== 1) return false;
  // Rows are staggered: row 1 sits half a key right of the number row's second key.
  const shift = upper.row === 0 ? 1 : 0;
  if (upper.col === lower.col + shift || upper.col === lower.col + shift + 1) return true;
  return upper.col === ROW_END[upper.row] && lower.col === 0;
}

// Columns typed one after another (qaz then wsx, 1qaz2wsx, zaq1xsw2): the bottom
// row's key and the top of the next or previous column.
function columnTurn(x: string, y: string): boolean {
  const a = KEYS.get(x);
  const b = KEYS.get(y);
  if (!a || !b) return false;
  const [top, bottom] = a.row < b.row ? [a, b] : [b, a];
  if (bottom.row !== 3 || top.row > 1) return false;
  const column = top.row === 0 ? top.col - 1 : top.col;
  return Math.abs(column - bottom.col) === 1;
}

const SEPARATORS = new Set([" ", "-", "_", ".", ",", "/", "+", "*", "|", ":", ";"]);

function stepOf(x: string, y: string): number | null {
  const a = x.charCodeAt(0);
  const b = y.charCodeAt(0);
  const digit = (c: number) => c >= 48 && c <= 57;
  const letter = (c: number) => c >= 97 && c <= 122;
  if (digit(a) && digit(b)) return (b - a + 10) % 10;
  if (letter(a) && letter(b)) return (b - a + 26) % 26;
  return null;
}

/** How far from `start` a counting run goes (12345, 97531, 0987, xyzab): same step of ±1 or ±2, wrapping. */
function sequenceEnd(s: string, start: number): number {
  if (start + 1 >= s.length) return start + 1;
  const step = stepOf(s[start], s[start + 1]);
  const modulus = /\d/.test(s[start]) ? 10 : 26;
  if (step === null || ![1, 2, modulus - 1, modulus - 2].includes(step)) return start + 1;
  let end = start + 2;
  while (end < s.length && stepOf(s[end - 1], s[end]) === step) end++;
  return end;
}

/** How far counting numbers go from `start` (78910111213, 2019202120222023, 121110987). */
function countingEnd(s: string, start: number): number {
  let best = start;
  for (let width = 1; width <= 4; width++) {
    const first = s.slice(start, start + width);
    if (!/^\d+$/.test(first) || (first.length > 1 && first[0] === "0") || first.length < width) continue;
    for (const direction of [1, -1]) {
      let value = Number(first);
      let at = start + width;
      let count = 1;
      for (;;) {
        value += direction;
        if (value < 0) break;
        const next = String(value);
        if (!s.startsWith(next, at)) break;
        at += next.length;
        count++;
      }
      if (count >= 3 && at > best) best = at;
    }
  }
  return best;
}

function walkEnd(s: string, start: number): number {
  let end = start + 1;
  while (
    end < s.length &&
    (s[end] === s[end - 1] || keyboardAdjacent(s[end - 1], s[end]) || columnTurn(s[end - 1], s[end]))
  )
    end++;
  return end;
}

function sameEnd(s: string, start: number): number {
  let end = start + 1;
  while (end < s.length && s[end] === s[start]) end++;
  return end;
}

/** For every start, how far `s` repeats what came before it, for the best period (…123 then 123123). */
function periodicEnds(s: string): number[] {
  const n = s.length;
  const codes = new Uint16Array(n);
  for (let i = 0; i < n; i++) codes[i] = s.charCodeAt(i);
  const ends = new Array<number>(n).fill(0);
  for (let period = 1; period < n; period++) {
    // Walk backwards so each position knows how long its match with `period` back lasts.
    let run = 0;
    for (let i = n - 1; i >= period; i--) {
      run = codes[i] === codes[i - period] ? run + 1 : 0;
      if (i + run > ends[i]) ends[i] = i + run;
    }
  }
  return ends;
}

/**
 * True when `s` is a run of at most half its length, repeated (the last copy may
 * be cut short), separators aside (bluefish bluefish).
 */
export function isRepeatedRun(s: string): boolean {
  const squeezed = Array.from(s).filter((ch) => !SEPARATORS.has(ch));
  return repeats(Array.from(s)) || (squeezed.length >= 6 && repeats(squeezed));
}

function repeats(chars: string[]): boolean {
  for (let period = 1; period <= chars.length / 2; period++) {
    let repeats = true;
    for (let i = period; i < chars.length && repeats; i++) repeats = chars[i] === chars[i - period];
    if (repeats) return true;
  }
  return false;
}

export type Piece = { kind: PatternKind; length: number };

/**
 * The fewest generated pieces (each at least 3 characters: a repeat of what came
 * before, a keyboard walk, a counting run) that make up the whole of `s`, single
 * separators between them free; null when some part is none of these.
 */
export function generatedPieces(s: string): Piece[] | null {
  const n = s.length;
  const count = new Array<number>(n + 1).fill(Infinity);
  const from = new Array<number>(n + 1).fill(-1);
  const kindAt = new Array<PatternKind | null>(n + 1).fill(null);
  const periodic = periodicEnds(s);
  count[0] = 0;
  for (let start = 0; start < n; start++) {
    if (count[start] === Infinity) continue;
    const offer = (end: number, kind: PatternKind | null) => {
      const next = count[start] + (kind ? 1 : 0);
      if (next < count[end]) {
        count[end] = next;
        from[end] = start;
        kindAt[end] = kind;
      }
    };
    if (start > 0 && SEPARATORS.has(s[start])) offer(start + 1, null);
    const runs: [PatternKind, number][] = [
      ["repeat", Math.max(sameEnd(s, start), periodic[start])],
      ["keyboard", walkEnd(s, start)],
      ["sequence", Math.max(sequenceEnd(s, start), countingEnd(s, start))],
    ];
    for (const [kind, end] of runs) {
      // Any stretch of a run is itself a run: let the next piece start anywhere inside.
      for (let stop = start + 3; stop <= end; stop++) offer(stop, kind);
    }
  }
  if (count[n] === Infinity) return null;
  const pieces: Piece[] = [];
  for (let end = n; end > 0; end = from[end]) {
    const kind = kindAt[end];
    if (kind) pieces.unshift({ kind, length: end - from[end] });
  }
  return pieces;
}

/** The family a password belongs to, when attackers would generate it; null otherwise. */
export function generatedPattern(s: string): PatternKind | null {
  if (isRepeatedRun(s)) return "repeat";
  const pieces = generatedPieces(s);
  // One piece per four characters at most: long stretches of pattern, not a mosaic of short ones.
  if (!pieces || pieces.length > Math.max(2, Math.floor(s.length / 4))) return null;
  const longest = pieces.reduce((a, b) => (b.length > a.length ? b : a));
  return longest.kind;
}
