import type { Metadata } from "next";
import Link from "next/link";
import { ForgotForm } from "./forgot-form";

export const metadata: Metadata = { title: "Reset your password" };

export default async function ForgotPasswordPage({ searchParams }: { searchParams: Promise<{ passkey?: string }> }) {
  const { passkey } = await searchParams;
  return (
    <div className="narrow stack">
      <h1>Reset your password</h1>
      {passkey === "unknown" ? (
        <p className="status status-info" role="status">
          That passkey is no longer registered with your account (it was removed, or cleared after the security incident). Set a new password
          first; you can add a new passkey afterwards.
        </p>
      ) : null}
      <p>
        Enter the email address of your account. We will send you a link to choose a new password. We never ask for
        your old password, your card or your address to do this.
      </p>
      <ForgotForm />
      <p className="muted">
        No longer have access to that email? <Link href="/support/contact">Contact support</Link>.
      </p>
    </div>
  );
}
