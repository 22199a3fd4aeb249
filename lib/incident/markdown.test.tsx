import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { markdownToPlainText, parseMarkdown, safeHref } from "./markdown";
import { MarkdownView } from "./markdown-view";

const html = (source: string) => renderToStaticMarkup(<MarkdownView source={source} />);

describe("the notice's Markdown subset", () => {
  it("renders paragraphs, line breaks, lists, emphasis, subheadings and safe links", () => {
    expect(html("One\ntwo\n\nThree")).toBe("<p>One<br/>two</p><p>Three</p>");
    expect(html("- a\n- **b**\n\n1. x\n2. *y*")).toBe(
      "<ul><li>a</li><li><strong>b</strong></li></ul><ol><li>x</li><li><em>y</em></li></ol>",
    );
    expect(html("### More\nText")).toBe("<h3>More</h3><p>Text</p>");
    expect(html("[contact form](/support/contact)")).toBe('<p><a href="/support/contact">contact form</a></p>');
    expect(html("[us](mailto:help@example.com)")).toBe('<p><a href="mailto:help@example.com">us</a></p>');
    expect(html("[FTC](https://www.ftc.gov/idtheft)")).toBe(
      '<p><a href="https://www.ftc.gov/idtheft" rel="noopener noreferrer nofollow">FTC</a></p>',
    );
  });

  it("shows raw HTML as the text typed, never as markup", () => {
    const out = html('<script>alert(1)</script> <img src=x onerror="alert(2)"> <a href="javascript:alert(3)">x</a>');
    expect(out).not.toMatch(/<script|<img|<a /);
    expect(out).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(out).toContain("&lt;img src=x onerror=&quot;alert(2)&quot;&gt;");
  });

  it("never links javascript:, data:, vbscript: or protocol-relative URLs, however disguised", () => {
    for (const href of [
      "javascript:alert(1)",
      "JaVaScRiPt:alert(1)",
      " javascript:alert(1)",
      "java\tscript:alert(1)",
      "java\nscript:alert(1)",
      "javascript&colon;alert(1)",
      "&#106;avascript:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      "vbscript:msgbox(1)",
      "//evil.example/x",
      "/\\evil.example",
      "https:alert(1)",
      "file:///etc/passwd",
    ]) {
      expect(safeHref(href), href).toBeNull();
    }
    const out = html("[click me](javascript:alert(1))");
    expect(out).not.toContain("<a");
    expect(out).toContain("click me");
  });

  it("keeps unsafe link targets visible as text, so the admin sees what was refused", () => {
    expect(markdownToPlainText("[x](javascript:alert(1))")).toBe("x (javascript:alert(1))");
  });

  it("renders any input without producing an element other than the allowed ones", () => {
    const allowed = new Set(["p", "br", "ul", "ol", "li", "strong", "em", "a", "h3"]);
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(..."<>\"'`=/&;:*_[]()#-\n abcjavscript".split("")), maxLength: 80 }), (source) => {
        const out = html(source);
        for (const [, tag] of out.matchAll(/<\/?([a-zA-Z0-9]+)/g)) expect(allowed.has(tag), `${tag} in ${out}`).toBe(true);
        for (const [, href] of out.matchAll(/href="([^"]*)"/g)) expect(href).toMatch(/^(\/(?!\/)|#|https?:\/\/|mailto:)/);
        expect(parseMarkdown(source)).toBeInstanceOf(Array);
      }),
      { numRuns: 500 },
    );
  });
});
