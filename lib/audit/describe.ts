// Plain words for audit events, for the people whose account they concern.
import type { AuditRow } from "./index";

const words: Record<string, string> = {
  "sign_in.success": "Signed in",
  "sign_in.failure": "A sign-in attempt failed",
  "sign_in.rehashed": "Password storage upgraded at sign-in",
  sign_out: "Signed out",
  "password.expired": "Password expired after the security incident",
  "password.changed": "Password changed",
  "reset_link.requested": "A reset link was requested",
  "reset_link.sent": "A reset link was sent",
  "reset_link.used": "A reset link was used",
  "reset_link.expired": "An expired reset link was opened",
  "session.ended": "Every session was signed out",
  "session.created": "A new session started",
  "passkey.added": "A passkey was added",
  "passkey.used": "Signed in with a passkey",
  "passkey.removed": "A passkey was removed",
  "passkey.renamed": "A passkey was renamed",
  "passkey.offer_dismissed": "The offer to add a passkey was dismissed",
  "session.blocked": "A session was blocked until the password changes",
  "user.created": "Account created",
  "user.updated": "Account updated",
  "user.disabled": "Account disabled",
};

const sessionEndings: Record<string, string> = {
  signed_out: "Signed out on one device",
  ended_by_user: "A session was signed out from the devices list",
  ended_other: "Signed out everywhere else",
  ended_by_staff: "Every session was ended by support",
  idle: "A session ended after being idle",
  passkeys_cleared: "Passkey sessions ended: passkeys were cleared after the security incident",
};

function baseWords(event: Pick<AuditRow, "action" | "detail">): string {
  const how = typeof event.detail?.how === "string" ? event.detail.how : null;
  if (event.action === "session.ended" && how && sessionEndings[how]) return sessionEndings[how];
  if (event.action === "session.created" && event.detail?.method === "passkey") return "A new session started (passkey)";
  if (event.action === "session.created" && event.detail?.method === "password") return "A new session started (password)";
  return words[event.action] ?? event.action.replace(/[._]/g, " ");
}

export function describeAuditEvent(event: Pick<AuditRow, "action" | "actorId" | "subjectId" | "detail">, viewerId?: number): string {
  const base = baseWords(event);
  if (event.action === "reset_link.sent" && event.detail?.purpose === "agent") return `${base} by a support agent`;
  if (event.actorId && viewerId && event.actorId !== viewerId && event.subjectId === viewerId) {
    return `${base} (by staff)`;
  }
  return base;
}
