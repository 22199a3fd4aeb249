import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { maskEmail } from "@/lib/accounts/email";
import { currentSession } from "@/lib/auth/guards";
import { EmailLinkForm } from "./email-link-form";

export const metadata: Metadata = { title: "Your password has expired" };

export default async function PasswordExpiredPage() {
  const session = await currentSession();
  if (session.state === "anonymous") redirect("/login");
  if (session.state === "active") redirect("/account");
  const masked = maskEmail(session.user.email);
  return (
    <div className="narrow stack">
      <h1>Your password has expired</h1>
      <p>
        After the security incident described in <Link href="/notice">our notice</Link>, we expired every password: the
        stolen data included scrambled copies of passwords, and some may be guessed. Until you choose a new password,
        this session can only ask for a reset link.
      </p>
      <p>
        We will send the link to the email address on file: <strong>{masked}</strong>.
      </p>
      <EmailLinkForm maskedEmail={masked} />
      <p className="muted">
        Cannot reach that inbox? <Link href="/support/contact">Contact support</Link>.
      </p>
    </div>
  );
}
