import type { Metadata } from "next";
import Link from "next/link";
import { ForgotForm } from "./forgot-form";

export const metadata: Metadata = { title: "Reset your password" };

export default function ForgotPasswordPage() {
  return (
    <div className="narrow stack">
      <h1>Reset your password</h1>
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
