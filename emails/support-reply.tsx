// An agent's reply to a support request. Only the reply's text is rendered:
// internal notes are never passed to this template.
import { Text } from "@react-email/components";
import { SupportLayout, styles } from "./support-layout";

export type SupportReplyProps = { reference: string; body: string; brandName: string };

export default function SupportReplyEmail({
  reference = "RD-7K3M9Q2X",
  body = "Thank you for your patience. We have sent a reset link to the email address on your account.",
  brandName = "Northwind Outfitters",
}: Partial<SupportReplyProps>) {
  return (
    <SupportLayout
      preview={`A reply to your support request ${reference}`}
      heading="A reply from our support team"
      brandName={brandName}
    >
      <Text style={styles.muted}>Request {reference}</Text>
      <Text style={styles.quote}>{body}</Text>
      <Text style={styles.text}>If you need more help, write to us again and mention {reference}.</Text>
    </SupportLayout>
  );
}
