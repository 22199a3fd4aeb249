"use client";
// Present only in a browser with WebAuthn (absent without JavaScript).
import { startRegistration, type PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/browser";
import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { useWebAuthn } from "@/app/_components/use-webauthn";
import { addPasskey, passkeyRegistrationOptions } from "./passkey-actions";

export function AddPasskeyButton({ children }: { children?: ReactNode }) {
  const supported = useWebAuthn();
  const router = useRouter();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, setPending] = useState(false);
  if (!supported) return null;
  async function add() {
    setPending(true);
    setMessage(null);
    try {
      const { challengeId, optionsJSON } = await passkeyRegistrationOptions();
      const response = await startRegistration({ optionsJSON: optionsJSON as PublicKeyCredentialCreationOptionsJSON });
      const result = await addPasskey(challengeId, JSON.stringify(response));
      // Added: the page is rendered again with the confirmation in the Passkeys
      // section (the offer this button may sit in is gone from it by then).
      if (result.ok) router.replace("/account?passkeys=added");
      else setMessage({ ok: false, text: result.message });
    } catch {
      setMessage({ ok: false, text: "No passkey was added (the prompt was closed or is not available here)." });
    } finally {
      setPending(false);
    }
  }
  return (
    <div className="stack">
      {children}
      <div className="actions">
        <button type="button" onClick={add} disabled={pending}>
          Add a passkey
        </button>
      </div>
      <div aria-live="polite">
        {message ? <p className={`status ${message.ok ? "status-ok" : "status-bad"}`}>{message.text}</p> : null}
      </div>
    </div>
  );
}
