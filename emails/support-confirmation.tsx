// Sent to whoever wrote through the contact form. It deliberately does not echo
// the message or the name: the form must not become a way to send arbitrary
// text to any address, and the answer is the same whether an account exists.
import { Heading, Text } from "@react-email/components";
import { defaultBrand, EmailLayout, type EmailBrand } from "./layout";

export type SupportConfirmationProps = { brand: EmailBrand; reference: string };

export function supportConfirmationSubject(reference: string) {
  return `We received your message (${reference})`;
}

export default function SupportConfirmationEmail({
  brand = defaultBrand,
  reference = "RD-7K3M9Q2X",
}: Partial<SupportConfirmationProps>) {
  return (
    <EmailLayout brand={brand} preview={supportConfirmationSubject(reference)}>
      <Heading as="h1" style={{ fontSize: "22px" }}>
        We received your message
      </Heading>
      <Text>
        Thank you for writing to {brand.brandName} support. Your request reference is <strong>{reference}</strong>.
      </Text>
      <Text>A member of our team will answer by email. If you did not write to us, you can ignore this email.</Text>
      <Text>
        Our team will never ask for your password, and never treats your address, phone number or card digits as
        proof of who you are.
      </Text>
    </EmailLayout>
  );
}
