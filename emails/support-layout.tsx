// The frame shared by the support desk's emails: plain, readable, and the same
// in HTML and plain text. Templates are pure: they take data and render.
import { Body, Container, Head, Heading, Hr, Html, Preview, Text } from "@react-email/components";
import type { ReactNode } from "react";

export const styles = {
  body: { backgroundColor: "#f3f4f6", fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif" },
  container: { backgroundColor: "#ffffff", padding: "24px", maxWidth: "560px", margin: "24px auto", borderRadius: "8px" },
  heading: { fontSize: "22px", color: "#111827", margin: "0 0 16px" },
  text: { fontSize: "16px", lineHeight: "24px", color: "#111827" },
  quote: {
    fontSize: "16px",
    lineHeight: "24px",
    color: "#111827",
    whiteSpace: "pre-wrap" as const,
    borderLeft: "4px solid #d1d5db",
    paddingLeft: "12px",
  },
  muted: { fontSize: "14px", lineHeight: "20px", color: "#4b5563" },
  button: {
    backgroundColor: "#1e3a8a",
    color: "#ffffff",
    padding: "12px 18px",
    borderRadius: "6px",
    fontWeight: 600,
    textDecoration: "none",
  },
};

export function SupportLayout(props: { preview: string; heading: string; brandName: string; children: ReactNode }) {
  return (
    <Html lang="en">
      <Head />
      <Preview>{props.preview}</Preview>
      <Body style={styles.body}>
        <Container style={styles.container}>
          <Heading as="h1" style={styles.heading}>
            {props.heading}
          </Heading>
          {props.children}
          <Hr />
          <Text style={styles.muted}>
            {props.brandName} will never ask for your password by email, phone or chat, and never asks you to
            confirm your identity with your address, phone number or card digits.
          </Text>
        </Container>
      </Body>
    </Html>
  );
}
