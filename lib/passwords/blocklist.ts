// ~49,000 common passwords from @zxcvbn-ts/language-common, plus the words
// people reach for on a breach day. Loaded once, looked up in a Set.
import { dictionary } from "@zxcvbn-ts/language-common";

let common: Set<string> | undefined;

function load(): Set<string> {
  const list = (dictionary as Record<string, string[]>)["passwords-common"] ?? [];
  common = new Set(list.map((w) => w.toLowerCase()));
  for (const extra of [
    "password123456789",
    "passwordpassword",
    "correcthorsebatterystaple",
    "correct horse battery staple",
    "iloveyouiloveyou",
    "qwertyuiopasdfghjkl",
    "123456789012345",
    "1234567890123456",
  ]) {
    common.add(extra);
  }
  return common;
}

export function blocklistSize(): number {
  return (common ?? load()).size;
}

/** Exactly on the list (no variants): what the variant check looks cores up in. */
export function inCommonList(normalizedLower: string): boolean {
  return (common ?? load()).has(normalizedLower);
}

export function isCommonPassword(normalizedLower: string): boolean {
  const set = common ?? load();
  if (set.has(normalizedLower)) return true;
  // A common password repeated or padded with digits is still common.
  const stripped = normalizedLower.replace(/[\d\s!.?]+$/u, "");
  if (stripped.length >= 4 && set.has(stripped)) return true;
  const half = normalizedLower.length / 2;
  if (Number.isInteger(half) && normalizedLower.slice(0, half) === normalizedLower.slice(half)) {
    return set.has(normalizedLower.slice(0, half)) || /^(.)\1*$/u.test(normalizedLower);
  }
  return /^(.)\1*$/u.test(normalizedLower);
}
