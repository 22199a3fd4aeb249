"use client";
// Rendered only in a browser with WebAuthn (never without JavaScript): the
// "Sign in with a passkey" button, and passkey autofill on the Email field
// (conditional mediation) where the browser offers it.
import { browserSupportsWebAuthnAutofill, startAuthentication, WebAuthnAbortService } from "@simplewebauthn/browser";
import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/browser";
import { useCallback, useEffect, useState } from "react";
import { useWebAuthn } from "@/app/_components/use-webauthn";
import { passkeySignIn, passkeySignInOptions } from "./passkey-actions";

export function PasskeySignIn({ next }: { next?: string }) {
  const supported = useWebAuthn();
  const [message, setMessage] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const run = useCallback(
    async (autofill: boolean) => {
      const { challengeId, optionsJSON } = await passkeySignInOptions();
      let response;
      try {
        response = await startAuthentication({ optionsJSON: optionsJSON as PublicKeyCredentialRequestOptionsJSON, useBrowserAutofill: autofill });
      } catch (error) {
        // The customer cancelled, or another ceremony took over: nothing to say for autofill.
        if (!autofill && (error as Error).name !== "AbortError") setMessage("The passkey prompt was closed. Try again, or sign in with your password.");
        return;
      }
      setPending(true);
      const result = await passkeySignIn(challengeId, JSON.stringify(response), next ?? "");
      setPending(false);
      if (result.to) window.location.assign(result.to);
      else if (!result.ok) setMessage(result.message ?? "That passkey did not work.");
    },
    [next],
  );

  useEffect(() => {
    if (!supported) return;
    let cancelled = false;
    browserSupportsWebAuthnAutofill().then((autofill) => {
      if (autofill && !cancelled) run(true).catch(() => {});
    });
    return () => {
      cancelled = true;
      WebAuthnAbortService.cancelCeremony();
    };
  }, [run, supported]);

  if (!supported) return null;
  return (
    <div className="stack">
      <p className="muted">Or, if you added a passkey:</p>
      <div>
        <button type="button" className="secondary" disabled={pending} onClick={() => { setMessage(null); run(false).catch(() => setMessage("That passkey did not work.")); }}>
          Sign in with a passkey
        </button>
      </div>
      <div aria-live="polite">
        {message ? <p className="status status-bad">{message}</p> : null}
      </div>
    </div>
  );
}
