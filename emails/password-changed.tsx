import { Heading, Link, Text } from "@react-email/components";
import { defaultBrand, EmailLayout, type EmailBrand } from "./layout";

export type PasswordChangedEmailProps = { brand: EmailBrand; changedAtText: string };

export const passwordChangedSubject = "Your password was changed";

export default function PasswordChangedEmail({
  brand = defaultBrand,
  changedAtText = "November 28, 2026 at 18:00 UTC",
}: Partial<PasswordChangedEmailProps>) {
  return (
    <EmailLayout brand={brand} preview="Your password was changed">
      <Heading as="h1" style={{ fontSize: "22px" }}>
        Your password was changed
      </Heading>
      <Text>
        The password of your {brand.brandName} account was changed on {changedAtText}, and every device that was
        signed in has been signed out.
      </Text>
      <Text>
        If this was you, there is nothing more to do. If you used your old password on any other site, change it
        there too.
      </Text>
      <Text>
        If this was not you, set a new password now at{" "}
        <Link href={`${brand.appUrl}/forgot-password`}>{`${brand.appUrl}/forgot-password`}</Link> and contact us at{" "}
        {brand.supportEmail}.
      </Text>
    </EmailLayout>
  );
}
