import { Button, Heading, Link, Text } from "@react-email/components";
import { defaultBrand, EmailLayout, type EmailBrand } from "./layout";

export type ResetLinkEmailProps = {
  brand: EmailBrand;
  url: string;
  expiresInText: string;
  /** who asked: the customer, or an agent on their behalf */
  requestedBy: "you" | "agent";
};

export function resetLinkSubject(brand: EmailBrand) {
  return `Set a new password for your ${brand.brandName} account`;
}

export default function ResetLinkEmail({
  brand = defaultBrand,
  url = "http://localhost:3000/reset-password/example-token",
  expiresInText = "1 hour",
  requestedBy = "you",
}: Partial<ResetLinkEmailProps>) {
  return (
    <EmailLayout brand={brand} preview="Your link to set a new password">
      <Heading as="h1" style={{ fontSize: "22px" }}>
        Set a new password
      </Heading>
      <Text>
        {requestedBy === "agent"
          ? `A member of our support team sent you this link, as you asked.`
          : `Someone, probably you, asked for a link to set a new password for your ${brand.brandName} account.`}{" "}
        The link works once, for {expiresInText}.
      </Text>
      <Button href={url} style={{ backgroundColor: "#1e3a8a", color: "#ffffff", padding: "12px 18px", borderRadius: "6px" }}>
        Choose a new password
      </Button>
      <Text>
        Or copy this address into your browser: <Link href={url}>{url}</Link>
      </Text>
      <Text>If you did not ask for this, you can ignore this email: your account stays as it is.</Text>
    </EmailLayout>
  );
}
