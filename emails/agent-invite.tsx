// An invitation to join the support desk: the new agent sets a password
// through a one-time link (purpose "invite").
import { Button, Link, Text } from "@react-email/components";
import { SupportLayout, styles } from "./support-layout";

export type AgentInviteProps = { url: string; expiresInHours: number; brandName: string };

export default function AgentInviteEmail({
  url = "http://localhost:3000/reset-password/example",
  expiresInHours = 24,
  brandName = "Northwind Outfitters",
}: Partial<AgentInviteProps>) {
  return (
    <SupportLayout
      preview={`You are invited to the ${brandName} support desk`}
      heading="You are invited to the support desk"
      brandName={brandName}
    >
      <Text style={styles.text}>
        An administrator added you as a support agent for {brandName}. Choose a password to start: the link works
        once, for {expiresInHours} hours.
      </Text>
      <Button href={url} style={styles.button}>
        Choose your password
      </Button>
      <Text style={styles.muted}>
        Or paste this address into your browser: <Link href={url}>{url}</Link>
      </Text>
      <Text style={styles.text}>If you did not expect this, ignore this email and tell your incident lead.</Text>
    </SupportLayout>
  );
}
