"use client";
// After a reset: one click to add a passkey, or "Not now" (never offered again
// until the customer adds one from the Passkeys section).
import { useWebAuthn } from "@/app/_components/use-webauthn";
import { AddPasskeyButton } from "./add-passkey";
import { dismissPasskeyOfferAction } from "./passkey-actions";

export function PasskeyOffer() {
  const supported = useWebAuthn();
  if (!supported) return null;
  return (
    <section className="panel stack" aria-labelledby="passkey-offer">
      <h2 id="passkey-offer">Sign in without a password next time</h2>
      <p>
        A passkey lets you sign in with your fingerprint, face or screen lock. Nothing a thief could crack is stored
        with us: only a public key.
      </p>
      <AddPasskeyButton />
      <form action={dismissPasskeyOfferAction}>
        <button type="submit" className="secondary">
          Not now
        </button>
      </form>
    </section>
  );
}
