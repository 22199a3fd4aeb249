import type { Metadata } from "next";
import { cookies } from "next/headers";
import Link from "next/link";
import { getDb } from "@/db/client";
import { env } from "@/lib/env";
import { checkResetToken } from "@/lib/reset-links";
import { resetCookieName } from "@/lib/reset-links/cookie";
import { NewLinkForm } from "./new-link-form";
import { NewPasswordForm } from "./new-password-form";

export const metadata: Metadata = { title: "Choose a new password", referrer: "no-referrer" };

export default async function ResetPasswordPage() {
  const token = (await cookies()).get(resetCookieName())?.value;
  const check = await checkResetToken(await getDb(), token);
  if (check.status !== "valid") {
    return (
      <div className="narrow stack">
        <h1>This link is invalid or has expired</h1>
        {check.status === "expired" ? (
          <>
            <p>This link has expired. We can send a new one to the email address on file.</p>
            <NewLinkForm />
          </>
        ) : (
          <p>
            Links work once, and a newer link or a password change replaces older ones. Ask for a new link on{" "}
            <Link href="/forgot-password">Reset your password</Link>.
          </p>
        )}
      </div>
    );
  }
  return (
    <div className="narrow stack">
      <h1>Choose a new password</h1>
      <p>
        Choose a password you have never used before, here or anywhere else. After you set it, every device signed in
        to your account is signed out, and you sign in again with the new password.
      </p>
      <NewPasswordForm minLength={env().PASSWORD_MIN_LENGTH} email={check.email} brandName={env().BRAND_NAME} />
    </div>
  );
}
