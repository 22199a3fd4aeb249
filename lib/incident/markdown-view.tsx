// Renders the notice's Markdown subset (markdown.ts) as React elements. No
// dangerouslySetInnerHTML anywhere: every string goes through React, which
// escapes it. Usable from server components and the admin's live preview.
import { Fragment, type ReactNode } from "react";
import { parseMarkdown, type Inline } from "./markdown";

function renderInline(nodes: Inline[], keyPrefix: string): ReactNode[] {
  return nodes.map((node, i) => {
    const key = `${keyPrefix}.${i}`;
    switch (node.kind) {
      case "text":
        return <Fragment key={key}>{node.text}</Fragment>;
      case "break":
        return <br key={key} />;
      case "strong":
        return <strong key={key}>{renderInline(node.children, key)}</strong>;
      case "em":
        return <em key={key}>{renderInline(node.children, key)}</em>;
      case "link": {
        const external = /^https?:/i.test(node.href);
        return (
          <a key={key} href={node.href} {...(external ? { rel: "noopener noreferrer nofollow" } : {})}>
            {renderInline(node.children, key)}
          </a>
        );
      }
    }
  });
}

/** The Markdown source as safe React elements. Headings inside are h3 (the notice's sections are h2). */
export function MarkdownView({ source }: { source: string }) {
  return (
    <>
      {parseMarkdown(source).map((block, i) => {
        const key = String(i);
        if (block.kind === "heading") return <h3 key={key}>{renderInline(block.children, key)}</h3>;
        if (block.kind === "paragraph") return <p key={key}>{renderInline(block.children, key)}</p>;
        const items = block.items.map((item, n) => <li key={n}>{renderInline(item, `${key}.${n}`)}</li>);
        return block.ordered ? <ol key={key}>{items}</ol> : <ul key={key}>{items}</ul>;
      })}
    </>
  );
}
