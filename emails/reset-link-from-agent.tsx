// A reset link sent by a support agent, always to the address on file.
import { Button, Link, Text } from "@react-email/components";
import { SupportLayout, styles } from "./support-layout";

export type ResetLinkFromAgentProps = { url: string; expiresInHours: number; brandName: string };

export default function ResetLinkFromAgentEmail({
  url = "http://localhost:3000/reset-password/example",
  expiresInHours = 24,
  brandName = "Northwind Outfitters",
}: Partial<ResetLinkFromAgentProps>) {
  return (
    <SupportLayout preview="Your link to set a new password" heading="Set a new password" brandName={brandName}>
      <Text style={styles.text}>
        Our support team sent you this link because you asked for help with your {brandName} account. Use it to
        choose a new password. It works once, for {expiresInHours} hours.
      </Text>
      <Button href={url} style={styles.button}>
        Choose a new password
      </Button>
      <Text style={styles.muted}>
        Or paste this address into your browser: <Link href={url}>{url}</Link>
      </Text>
      <Text style={styles.text}>If you did not contact our support team, you can ignore this email.</Text>
    </SupportLayout>
  );
}
