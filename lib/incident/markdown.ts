// A deliberately small Markdown subset for the notice: paragraphs, line
// breaks, "-"/"*" and "1." lists, "###" subheadings, **bold**, *italic* and
// [links](url). It parses to a tree of plain data that is rendered by React
// (markdown-view.tsx), so text is always escaped: raw HTML shows as the text
// the admin typed and never reaches the page as markup. Links keep only
// https:, http:, mailto: and same-site paths; anything else (javascript:,
// data:, vbscript:, protocol-relative //host) is rendered as plain text.

export type Inline =
  | { kind: "text"; text: string }
  | { kind: "strong"; children: Inline[] }
  | { kind: "em"; children: Inline[] }
  | { kind: "link"; href: string; children: Inline[] }
  | { kind: "break" };

export type Block =
  | { kind: "paragraph"; children: Inline[] }
  | { kind: "heading"; children: Inline[] }
  | { kind: "list"; ordered: boolean; items: Inline[][] };

const BULLET = /^\s{0,3}[-*]\s+(.*)$/;
const NUMBERED = /^\s{0,3}\d{1,3}[.)]\s+(.*)$/;
const HEADING = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/;

/** Parses the notice's Markdown subset into blocks. Never throws. */
export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  let list: { ordered: boolean; items: string[] } | null = null;

  const flushParagraph = () => {
    if (paragraph.length) blocks.push({ kind: "paragraph", children: parseInline(paragraph.join("\n")) });
    paragraph = [];
  };
  const flushList = () => {
    if (list) blocks.push({ kind: "list", ordered: list.ordered, items: list.items.map((i) => parseInline(i)) });
    list = null;
  };

  for (const line of lines) {
    if (!line.trim()) {
      flushParagraph();
      flushList();
      continue;
    }
    const heading = HEADING.exec(line);
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    if (heading) {
      flushParagraph();
      flushList();
      blocks.push({ kind: "heading", children: parseInline(heading[1]) });
    } else if (bullet || numbered) {
      flushParagraph();
      const ordered = Boolean(numbered);
      if (list && list.ordered !== ordered) flushList();
      list ??= { ordered, items: [] };
      list.items.push((bullet ?? numbered)![1]);
    } else if (list && /^\s+\S/.test(line)) {
      // An indented line continues the current list item.
      list.items[list.items.length - 1] += `\n${line.trim()}`;
    } else {
      flushList();
      paragraph.push(line.trim());
    }
  }
  flushParagraph();
  flushList();
  return blocks;
}

/** The href a link may carry, or null when it is not safe to link. */
export function safeHref(raw: string): string | null {
  const href = raw.trim();
  // Browsers ignore control characters and whitespace inside a scheme
  // ("java\tscript:"), so refuse any rather than try to normalise them.
  if (!href || /[\u0000-\u0020\u007f-\u009f<>"'`\\]/.test(href)) return null;
  if (href.startsWith("/")) return href.startsWith("//") ? null : href;
  if (href.startsWith("#")) return href;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(href)?.[1]?.toLowerCase();
  if (scheme === "https" || scheme === "http") {
    if (!/^https?:\/\/[^/]/i.test(href)) return null;
    try {
      const url = new URL(href);
      return url.hostname ? href : null;
    } catch {
      return null;
    }
  }
  if (scheme === "mailto") return /^mailto:[^@\s]+@[^@\s]+$/i.test(href) ? href : null;
  return null;
}

/** Parses emphasis, links and line breaks within one block. */
export function parseInline(text: string, depth = 0): Inline[] {
  const out: Inline[] = [];
  let buffer = "";
  const flush = () => {
    if (buffer) out.push({ kind: "text", text: buffer });
    buffer = "";
  };
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    if (rest[0] === "\\" && rest.length > 1 && /[\\*_[\]()#-]/.test(rest[1])) {
      buffer += rest[1];
      i += 2;
      continue;
    }
    if (rest[0] === "\n") {
      flush();
      out.push({ kind: "break" });
      i += 1;
      continue;
    }
    if (depth < 4) {
      const strong = /^\*\*(?=\S)([\s\S]*?\S)\*\*/.exec(rest) ?? /^__(?=\S)([\s\S]*?\S)__/.exec(rest);
      if (strong) {
        flush();
        out.push({ kind: "strong", children: parseInline(strong[1], depth + 1) });
        i += strong[0].length;
        continue;
      }
      const em = /^\*(?=[^\s*])([\s\S]*?[^\s*])\*/.exec(rest) ?? /^_(?=[^\s_])([\s\S]*?[^\s_])_(?![A-Za-z0-9])/.exec(rest);
      if (em && (rest[0] === "*" || !/[A-Za-z0-9]/.test(text[i - 1] ?? ""))) {
        flush();
        out.push({ kind: "em", children: parseInline(em[1], depth + 1) });
        i += em[0].length;
        continue;
      }
      const link = /^\[([^\]\n]+)\]\(([^()\s]*(?:\([^()\s]*\)[^()\s]*)*)\)/.exec(rest);
      if (link) {
        flush();
        const href = safeHref(link[2]);
        const children = parseInline(link[1], depth + 1);
        // An unsafe link keeps its words and shows where it pointed, unlinked.
        if (href) out.push({ kind: "link", href, children });
        else out.push(...children, { kind: "text", text: ` (${link[2]})` });
        i += link[0].length;
        continue;
      }
    }
    buffer += rest[0];
    i += 1;
  }
  flush();
  return out;
}

/** The text of a Markdown source without its markup (for summaries, emails). */
export function markdownToPlainText(source: string): string {
  const inline = (nodes: Inline[]): string =>
    nodes
      .map((n) =>
        n.kind === "text" ? n.text : n.kind === "break" ? "\n" : n.kind === "link" ? `${inline(n.children)} (${n.href})` : inline(n.children),
      )
      .join("");
  return parseMarkdown(source)
    .map((b) =>
      b.kind === "list"
        ? b.items.map((item, n) => `${b.ordered ? `${n + 1}.` : "-"} ${inline(item)}`).join("\n")
        : inline(b.children),
    )
    .join("\n\n");
}
