// Sent to whoever wrote through the contact form. It deliberately does not echo
// the message or the name: the form must not become a way to send arbitrary
// text to any address, and the answer is the same whether an account exists.
import { Text } from "@react-email/components";
import { SupportLayout, styles } from "./support-layout";

export type SupportConfirmationProps = { reference: string; brandName: string };

export default function SupportConfirmationEmail({
  reference = "RD-7K3M9Q2X",
  brandName = "Northwind Outfitters",
}: Partial<SupportConfirmationProps>) {
  return (
    <SupportLayout
      preview={`We received your message (${reference})`}
      heading="We received your message"
      brandName={brandName}
    >
      <Text style={styles.text}>
        Thank you for writing to {brandName} support. Your request reference is <strong>{reference}</strong>.
      </Text>
      <Text style={styles.text}>
        A member of our team will answer by email. If you did not write to us, you can ignore this email.
      </Text>
    </SupportLayout>
  );
}
