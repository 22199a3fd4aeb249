import type { Metadata } from "next";
import Link from "next/link";
import { formatIncidentDate, getPasswordsResetDate } from "@/lib/incident/passwords-reset-date";
import { PasskeySignIn } from "./passkey-sign-in";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string; changed?: string }>;
}) {
  const { next, changed } = await searchParams;
  const resetDate = await getPasswordsResetDate().catch(() => null);
  return (
    <div className="narrow stack">
      <h1>Sign in</h1>
      {changed === "1" ? (
        <p className="status status-ok" role="status">
          Your password has been changed. Sign in with your new password.
        </p>
      ) : null}
      <p className="status status-info">
        {resetDate
          ? `We reset every customer password on ${formatIncidentDate(resetDate)} after a security incident.`
          : "We reset every customer password after a security incident."}{" "}
        If you have not chosen a new password since, <Link href="/forgot-password">reset your password</Link> first.{" "}
        <Link href="/notice">Read our notice</Link>.
      </p>
      <SignInForm next={typeof next === "string" ? next : undefined} />
      <PasskeySignIn next={typeof next === "string" ? next : undefined} />
      <p>
        <Link href="/forgot-password">Forgot your password?</Link>
      </p>
      <p className="muted">
        Need help? <Link href="/support/contact">Contact support</Link>.
      </p>
    </div>
  );
}
