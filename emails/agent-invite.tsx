// An invitation to join the support desk: the new agent sets a password
// through a one-time link (purpose "invite").
import { Button, Heading, Link, Text } from "@react-email/components";
import { defaultBrand, EmailLayout, type EmailBrand } from "./layout";

export type AgentInviteProps = { brand: EmailBrand; url: string; expiresInText: string };

export function agentInviteSubject(brand: EmailBrand) {
  return `You are invited to the ${brand.brandName} support desk`;
}

export default function AgentInviteEmail({
  brand = defaultBrand,
  url = "http://localhost:3000/reset-password/example-token",
  expiresInText = "24 hours",
}: Partial<AgentInviteProps>) {
  return (
    <EmailLayout brand={brand} preview={agentInviteSubject(brand)}>
      <Heading as="h1" style={{ fontSize: "22px" }}>
        You are invited to the support desk
      </Heading>
      <Text>
        An administrator added you as a support agent for {brand.brandName}. Choose a password to start: the link
        works once, for {expiresInText}.
      </Text>
      <Button href={url} style={{ backgroundColor: "#1e3a8a", color: "#ffffff", padding: "12px 18px", borderRadius: "6px" }}>
        Choose your password
      </Button>
      <Text>
        Or copy this address into your browser: <Link href={url}>{url}</Link>
      </Text>
      <Text>If you did not expect this, ignore this email and tell your incident lead.</Text>
    </EmailLayout>
  );
}
