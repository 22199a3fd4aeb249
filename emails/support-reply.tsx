// An agent's reply to a support request. Only the reply's text is rendered:
// internal notes are never passed to this template. A saved reply (a bulk
// answer) comes as the notice's Markdown and is rendered as such.
import { Heading, Section, Text } from "@react-email/components";
import { defaultBrand, EmailLayout, type EmailBrand } from "./layout";
import { EmailMarkdown } from "./markdown";

export type SupportReplyProps = { brand: EmailBrand; reference: string; body: string; markdown?: string };

export function supportReplySubject(reference: string) {
  return `Re: your support request ${reference}`;
}

export default function SupportReplyEmail({
  brand = defaultBrand,
  reference = "RD-7K3M9Q2X",
  body = "Thank you for your patience. We have sent a reset link to the email address on your account.",
  markdown,
}: Partial<SupportReplyProps>) {
  return (
    <EmailLayout brand={brand} preview={supportReplySubject(reference)}>
      <Heading as="h1" style={{ fontSize: "22px" }}>
        A reply from our support team
      </Heading>
      <Text style={{ color: "#4b5563" }}>Request {reference}</Text>
      {markdown !== undefined ? (
        <Section style={{ borderLeft: "4px solid #d1d5db", paddingLeft: "12px" }}>
          <EmailMarkdown source={markdown} baseUrl={brand.appUrl} />
        </Section>
      ) : (
        <Text style={{ whiteSpace: "pre-wrap", borderLeft: "4px solid #d1d5db", paddingLeft: "12px" }}>{body}</Text>
      )}
      <Text>If you need more help, write to us again and mention {reference}.</Text>
    </EmailLayout>
  );
}
