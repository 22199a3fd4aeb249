// The frame every email shares: brand, a calm body, a footer that says how to
// reach a person and that we never ask for passwords.
import { Body, Container, Head, Hr, Html, Preview, Section, Text } from "@react-email/components";
import type { ReactNode } from "react";

export type EmailBrand = { brandName: string; supportEmail: string; appUrl: string };

export const defaultBrand: EmailBrand = {
  brandName: "Northwind Outfitters",
  supportEmail: "support@example.com",
  appUrl: "http://localhost:3000",
};

export function EmailLayout({ brand, preview, children }: { brand: EmailBrand; preview: string; children: ReactNode }) {
  return (
    <Html lang="en">
      <Head />
      <Preview>{preview}</Preview>
      <Body style={{ backgroundColor: "#f3f4f6", fontFamily: "Arial, Helvetica, sans-serif", color: "#111827" }}>
        <Container style={{ backgroundColor: "#ffffff", padding: "24px", maxWidth: "560px" }}>
          <Text style={{ fontSize: "18px", fontWeight: 700, margin: "0 0 16px" }}>{brand.brandName}</Text>
          <Section>{children}</Section>
          <Hr />
          <Text style={{ fontSize: "13px", color: "#4b5563" }}>
            We will never ask for your password by email, phone or text. Questions? Write to {brand.supportEmail} or
            use the contact form at {brand.appUrl}/support/contact.
          </Text>
        </Container>
      </Body>
    </Html>
  );
}
