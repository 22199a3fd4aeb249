import { describe, expect, it } from "vitest";
import { fillPlaceholders, escapeMarkdownValue } from "./saved-replies";
import { markdownToPlainText, parseMarkdown } from "@/lib/incident/markdown";

describe("saved reply placeholders", () => {
  it("fills name and reference", () => {
    expect(fillPlaceholders("Hello {{name}}, about {{ reference }}.", { name: "Ada", reference: "REQ-7" })).toBe(
      "Hello Ada, about REQ\\-7.",
    );
    expect(markdownToPlainText(fillPlaceholders("Hello {{name}}, about {{reference}}.", { name: "Ada", reference: "REQ-7" }))).toBe(
      "Hello Ada, about REQ-7.",
    );
  });

  it("escapes Markdown in values so a name cannot add a link or emphasis", () => {
    const filled = fillPlaceholders("Hi {{name}}", { name: "[click](https://evil.example) **Bob**" });
    const blocks = parseMarkdown(filled);
    expect(blocks).toEqual([{ kind: "paragraph", children: [{ kind: "text", text: "Hi [click](https://evil.example) **Bob**" }] }]);
  });

  it("keeps a value on one line (no injected headings or list items)", () => {
    expect(escapeMarkdownValue("Bob\n# Heading\n- item")).toBe("Bob \\# Heading \\- item");
  });

  it("leaves unknown placeholders visible and fills missing values with nothing", () => {
    expect(fillPlaceholders("{{unknown}} {{name}}!", {})).toBe("{{unknown}} !");
  });
});
