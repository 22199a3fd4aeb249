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
  "session.blocked": "A session was blocked until the password changes",
  "user.created": "Account created",
  "user.updated": "Account updated",
  "user.disabled": "Account disabled",
};

export function describeAuditEvent(event: Pick<AuditRow, "action" | "actorId" | "subjectId" | "detail">, viewerId?: number): string {
  const base = words[event.action] ?? event.action.replace(/[._]/g, " ");
  if (event.action === "reset_link.sent" && event.detail?.purpose === "agent") return `${base} by a support agent`;
  if (event.actorId && viewerId && event.actorId !== viewerId && event.subjectId === viewerId) {
    return `${base} (by staff)`;
  }
  return base;
}
