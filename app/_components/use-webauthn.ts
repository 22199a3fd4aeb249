"use client";
import { browserSupportsWebAuthn } from "@simplewebauthn/browser";
import { useSyncExternalStore } from "react";

const noSubscription = () => () => {};

/** false on the server and before hydration, so nothing WebAuthn renders without JavaScript. */
export function useWebAuthn(): boolean {
  return useSyncExternalStore(noSubscription, browserSupportsWebAuthn, () => false);
}
