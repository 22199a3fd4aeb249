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

/** Placeholders a body names, known or not, in order of appearance. */
export function placeholdersIn(body: string): string[] {
  return [...body.matchAll(/\{\{\s*([^{}\s]*)\s*\}\}/g)].map((m) => m[1]);
}

// A link's address is the one place a customer's value could change meaning
// (a name like "evil.example/" after "https://"), so placeholders stay out of it.
const PLACEHOLDER_IN_LINK = /\]\([^)]*\{\{[^)]*\)/;

/** Why a saved reply's body cannot be used, or null. Shared by the admin form and lib. */
export function bodyProblem(body: string): string | null {
  const unknown = placeholdersIn(body).find((p) => !(PLACEHOLDERS as readonly string[]).includes(p));
  if (unknown !== undefined) {
    return `{{${unknown}}} is not a placeholder: use ${PLACEHOLDERS.map((p) => `{{${p}}}`).join(", ")}.`;
  }
  if (PLACEHOLDER_IN_LINK.test(body)) return "Placeholders cannot be part of a link's address.";
  return null;
}

/** Sample values for previews: what an admin sees before anything is sent. */
export const PREVIEW_VALUES: Required<PlaceholderValues> = {
  name: "Alex Example",
  email: "alex@example.com",
  reference: "RD-7K3M9Q2X",
};
