// The notice's Markdown subset (lib/incident/markdown.ts) as email markup: the
// same parse as the website, so text is always escaped and only safe links
// survive; links to our own pages become absolute (an email has no site).
import { Heading, Link, Text } from "@react-email/components";
import { Fragment, type ReactNode } from "react";
import { parseMarkdown, type Inline } from "@/lib/incident/markdown";

const text = { fontSize: "16px", lineHeight: "24px" };

function absolute(href: string, baseUrl: string): string {
  return href.startsWith("/") ? `${baseUrl.replace(/\/$/, "")}${href}` : href;
}

function inline(nodes: Inline[], baseUrl: string, key: string): ReactNode[] {
  return nodes.map((node, i) => {
    const k = `${key}.${i}`;
    if (node.kind === "text") return <Fragment key={k}>{node.text}</Fragment>;
    if (node.kind === "break") return <br key={k} />;
    if (node.kind === "strong") return <strong key={k}>{inline(node.children, baseUrl, k)}</strong>;
    if (node.kind === "em") return <em key={k}>{inline(node.children, baseUrl, k)}</em>;
    return (
      <Link key={k} href={absolute(node.href, baseUrl)}>
        {inline(node.children, baseUrl, k)}
      </Link>
    );
  });
}

export function EmailMarkdown({ source, baseUrl }: { source: string; baseUrl: string }) {
  return (
    <>
      {parseMarkdown(source).map((block, i) => {
        const key = String(i);
        if (block.kind === "heading") {
          return (
            <Heading key={key} as="h2" style={{ fontSize: "18px" }}>
              {inline(block.children, baseUrl, key)}
            </Heading>
          );
        }
        if (block.kind === "paragraph") {
          return (
            <Text key={key} style={text}>
              {inline(block.children, baseUrl, key)}
            </Text>
          );
        }
        const items = block.items.map((item, n) => (
          <li key={n} style={text}>
            {inline(item, baseUrl, `${key}.${n}`)}
          </li>
        ));
        return block.ordered ? <ol key={key}>{items}</ol> : <ul key={key}>{items}</ul>;
      })}
    </>
  );
}
