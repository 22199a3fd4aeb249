// Small display helpers shared by the desk's pages.
export function When({ at }: { at: Date | null }) {
  if (!at) return <span className="muted">never</span>;
  const text = at.toISOString().slice(0, 16).replace("T", " ") + " UTC";
  return <time dateTime={at.toISOString()}>{text}</time>;
}

const statusLabels: Record<string, string> = { open: "Open", waiting: "Waiting on customer", resolved: "Resolved", merged: "Merged" };
export const statusLabel = (status: string) => statusLabels[status] ?? status;

export const filterLabels = {
  open: "Open",
  mine: "Mine",
  waiting: "Waiting on customer",
  resolved: "Resolved",
} as const;

/** How a request was opened. */
export const channelLabels = { web: "Web form", email: "Email" } as const;

/** How a message came: the contact form, an email, an agent's reply, a note. */
export function messageChannelLabel(m: { kind: "customer" | "reply" | "note"; channel: "web" | "email" | "desk" }): string {
  if (m.kind === "reply") return "Agent reply";
  if (m.kind === "note") return "Internal note";
  return m.channel === "email" ? "Email" : "Web form";
}

export function byteSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const actionLabels: Record<string, string> = {
  "sign_in.success": "Signed in",
  "sign_in.failure": "Sign-in failed",
  "sign_in.rehashed": "Password hash upgraded at sign-in",
  sign_out: "Signed out",
  "password.expired": "Password expired",
  "password.changed": "Password changed",
  "reset_link.requested": "Reset link requested",
  "reset_link.sent": "Reset link sent",
  "reset_link.used": "Reset link used",
  "reset_link.expired": "Expired reset link opened",
  "reset_link.invalid": "Invalid reset link opened",
  "session.ended": "Sessions ended",
  "session.created": "Session started",
  "passkey.added": "Passkey added",
  "passkey.used": "Signed in with a passkey",
  "passkey.removed": "Passkey removed",
  "passkey.renamed": "Passkey renamed",
  "passkey.offer_dismissed": "Passkey offer dismissed",
  "session.blocked": "Session blocked",
  "user.created": "Account created",
  "user.updated": "Account updated",
  "user.disabled": "Account disabled",
  "agent.invited": "Invited as an agent",
  "support.request_created": "Support request received",
  "support.claimed": "Support request claimed",
  "support.released": "Support request released",
  "support.replied": "Support reply sent",
  "support.noted": "Internal note added",
  "support.resolved": "Support request resolved",
  "support.customer_viewed": "Account viewed by support",
  "support.topic_changed": "Support request topic changed",
  "support.merged": "Support requests merged",
  "support.bulk_answer_started": "Bulk answer started",
  "support.bulk_replied": "Bulk answer sent",
  "support.bulk_answer_finished": "Bulk answer finished",
  "saved_reply.created": "Saved reply created",
  "saved_reply.updated": "Saved reply edited",
  "saved_reply.archived": "Saved reply archived",
  "rate_limit.exceeded": "Rate limit reached",
};
export const actionLabel = (action: string) => actionLabels[action] ?? action;

const purposeLabels: Record<string, string> = {
  self_service: "requested by the customer",
  agent: "sent by support",
  campaign: "breach notice campaign",
  invite: "agent invitation",
};
export const purposeLabel = (purpose: string) => purposeLabels[purpose] ?? purpose;

/** Messages shown after a redirect, chosen by code (never text from the URL). */
const flashes: Record<string, { ok: boolean; text: string }> = {
  claimed: { ok: true, text: "You claimed the request." },
  released: { ok: true, text: "The request is back in the queue." },
  resolved: { ok: true, text: "The request is resolved." },
  taken: { ok: false, text: "Another agent has already claimed that request." },
  "not-holder": { ok: false, text: "Only the agent holding a request can release it." },
  missing: { ok: false, text: "That request does not exist." },
  topic: { ok: true, text: "The topic is changed." },
  "topic-invalid": { ok: false, text: "Choose one of the topics." },
  "topic-merged": { ok: false, text: "This request was merged into another: change the topic there." },
  "topic-missing": { ok: false, text: "That request does not exist." },
  merged: { ok: true, text: "The requests are merged: the whole conversation is here now." },
  "merge-missing": { ok: false, text: "That request does not exist." },
  "merge-same": { ok: false, text: "A request cannot be merged into itself." },
  "merge-merged": { ok: false, text: "That request is already merged into another one." },
  "merge-other-customer": { ok: false, text: "Only requests from the same customer address can be merged." },
  "merge-changed": { ok: false, text: "The requests changed meanwhile: look again and retry." },
  "merge-invalid": { ok: false, text: "Those requests cannot be merged." },
  took: { ok: true, text: "This request is yours now: it was the oldest unclaimed one in your view." },
  "none-left": { ok: false, text: "No unclaimed request is left in this view." },
};

export function Flash({ code }: { code: unknown }) {
  const flash = typeof code === "string" ? flashes[code] : undefined;
  if (!flash) return null;
  return (
    <p role="status" className={`status ${flash.ok ? "status-ok" : "status-bad"}`}>
      {flash.text}
    </p>
  );
}

export function DeskNav({ current }: { current: "queue" | "other" }) {
  return (
    <nav aria-label="Support desk">
      <a href="/support" aria-current={current === "queue" ? "page" : undefined}>
        ← Support desk
      </a>
    </nav>
  );
}
