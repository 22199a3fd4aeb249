// Saved replies: an admin's Markdown (the notice's subset, lib/incident/markdown.ts)
// with placeholders such as {{name}} and {{reference}}, filled per send. Values are
// escaped for that Markdown (a customer named "[x](https://evil)" or "**Bob**" stays
// literal text) and flattened to one line, so a value never adds links, emphasis,
// headings or list items. Unknown placeholders are left visible so the agent sees them.
export const PLACEHOLDERS = ["name", "email", "reference"] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type PlaceholderValues = Partial<Record<Placeholder, string>>;

/** Escapes a value for the notice's Markdown subset and keeps it on one line. */
export function escapeMarkdownValue(value: string): string {
  return value
    .replace(/[\u0000-\u001F\u007F-\u009F]+/g, " ")
    .replace(/[\\*_[\]()#-]/g, (c) => `\\${c}`)
    .trim();
}

/** Fills {{placeholder}} in a saved reply's body; missing values become "". */
export function fillPlaceholders(body: string, values: PlaceholderValues): string {
  return body.replace(/\{\{\s*([a-z]+)\s*\}\}/g, (whole, key: string) =>
    (PLACEHOLDERS as readonly string[]).includes(key) ? escapeMarkdownValue(values[key as Placeholder] ?? "") : whole,
  );
}
