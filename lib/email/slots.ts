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

/** A rendered template cut at its placeholders: literals[i], slot i, literals[i + 1]… */
type Segments = { literals: string[]; slots: string[] };
const cache = new Map<string, Promise<{ html: Segments; text: Segments }>>();

function cut(rendered: string, slotOf: ReadonlyMap<string, string>): Segments {
  // Longest first, so that no placeholder is matched inside a longer one.
  const pattern = new RegExp([...slotOf.keys()].sort((a, b) => b.length - a.length).join("|"), "g");
  const literals: string[] = [];
  const slots: string[] = [];
  let last = 0;
  for (const match of rendered.matchAll(pattern)) {
    literals.push(rendered.slice(last, match.index));
    slots.push(slotOf.get(match[0])!);
    last = match.index + match[0].length;
  }
  literals.push(rendered.slice(last));
  return { literals, slots };
}

function join(segments: Segments, values: Record<string, string>, escape: (s: string) => string): string {
  let out = segments.literals[0];
  for (let i = 0; i < segments.slots.length; i++) out += escape(values[segments.slots[i]]) + segments.literals[i + 1];
  return out;
}

export async function renderSlotted(
  template: SlottedTemplate,
  render: (element: ReactElement) => Promise<Rendered>,
): Promise<Rendered> {
  const names = Object.keys(template.values).sort();
  const key = `${template.cacheKey}\0${names.join(",")}`;
  let once = cache.get(key);
  if (!once) {
    const placeholders = Object.fromEntries(names.map((name) => [name, placeholderFor(name)]));
    const slotOf = new Map(names.map((name) => [placeholders[name], name]));
    if (slotOf.size !== names.length) {
      throw new Error(`Slot names of ${template.cacheKey.split("\0")[0]} collide once reduced to letters`);
    }
    if (cache.size >= MAX_CACHED) cache.clear();
    // Rendered once and cut at the placeholders: each send only joins the pieces with its values.
    once = render(template.build(placeholders)).then(({ html, text }) => ({ html: cut(html, slotOf), text: cut(text, slotOf) }));
    cache.set(key, once);
    once.catch(() => cache.delete(key));
  }
  const { html, text } = await once;
  return { html: join(html, template.values, escapeHtml), text: join(text, template.values, (s) => s) };
}
