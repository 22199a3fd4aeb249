// Emails sent on the busy paths (a reset link, "your password was changed")
// are rendered once per template with placeholder slots, then filled in per
// send: React Email costs several milliseconds of CPU per render, which the
// Argon2 hashes of the same requests need; a fill costs microseconds.
import type { ReactElement } from "react";

export type SlottedTemplate = {
  kind: "slotted";
  /** Identifies the template and every prop that is not a slot (JSON-serialisable). */
  cacheKey: string;
  values: Record<string, string>;
  build: (slots: Record<string, string>) => ReactElement;
};

export type Rendered = { html: string; text: string };

/**
 * A template whose `values` are filled in after rendering. `fixed` is every
 * other input of `build` (brand, wording choices): it is part of the cache key.
 */
export function slotted<S extends string>(
  name: string,
  fixed: unknown,
  values: Record<S, string>,
  build: (slots: Record<S, string>) => ReactElement,
): SlottedTemplate {
  return {
    kind: "slotted",
    cacheKey: `${name}\0${JSON.stringify(fixed)}`,
    values,
    build: build as (slots: Record<string, string>) => ReactElement,
  };
}

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#x27;");
}

/** Replaces each placeholder everywhere it occurs. */
export function fillSlots(rendered: string, values: readonly (readonly [string, string])[]): string {
  let out = rendered;
  for (const [placeholder, value] of values) out = out.split(placeholder).join(value);
  return out;
}

// Capital letters only: nothing in HTML escaping or the plain-text conversion
// (which upper-cases headings) changes them, and no real text contains them.
const placeholderFor = (slot: string) => `RDSLOT${slot.toUpperCase().replace(/[^A-Z]/g, "")}X`;

const MAX_CACHED = 64;
const cache = new Map<string, Promise<Rendered>>();

export async function renderSlotted(
  template: SlottedTemplate,
  render: (element: ReactElement) => Promise<Rendered>,
): Promise<Rendered> {
  const names = Object.keys(template.values).sort();
  const placeholders = Object.fromEntries(names.map((name) => [name, placeholderFor(name)]));
  if (new Set(Object.values(placeholders)).size !== names.length) {
    throw new Error(`Slot names of ${template.cacheKey.split("\0")[0]} collide once reduced to letters`);
  }
  const key = `${template.cacheKey}\0${names.join(",")}`;
  let once = cache.get(key);
  if (!once) {
    if (cache.size >= MAX_CACHED) cache.clear();
    once = render(template.build(placeholders));
    cache.set(key, once);
    once.catch(() => cache.delete(key));
  }
  const { html, text } = await once;
  const pairs = (escape: (s: string) => string) =>
    names.map((name) => [placeholders[name], escape(template.values[name])] as const);
  return { html: fillSlots(html, pairs(escapeHtml)), text: fillSlots(text, pairs((s) => s)) };
}
