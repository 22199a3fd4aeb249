// The whole data model (SPEC section 6). One file while it is small; every
// table that holds a secret (password_hash, token_hash) is read only in lib/.
import { sql } from "drizzle-orm";
import {
  bigint,
  customType,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const userRoles = ["customer", "agent", "admin"] as const;
export type UserRole = (typeof userRoles)[number];

export const users = pgTable(
  "users",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    email: text("email").notNull(),
    name: text("name"),
    role: text("role", { enum: userRoles }).notNull().default("customer"),
    passwordHash: text("password_hash"),
    passwordChangedAt: ts("password_changed_at"),
    passwordExpiredAt: ts("password_expired_at"),
    sessionVersion: integer("session_version").notNull().default(1),
    disabledAt: ts("disabled_at"),
    // "Not now" on the offer to add a passkey after a reset: never offered again.
    passkeyOfferDismissedAt: ts("passkey_offer_dismissed_at"),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("users_email_key").on(t.email),
    index("users_role_id_idx").on(t.role, t.id),
  ],
);

export const resetPurposes = ["self_service", "agent", "campaign", "invite"] as const;
export type ResetPurpose = (typeof resetPurposes)[number];

export const resetTokens = pgTable(
  "reset_tokens",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    userId: bigint("user_id", { mode: "number" })
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    purpose: text("purpose", { enum: resetPurposes }).notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
    expiresAt: ts("expires_at").notNull(),
    usedAt: ts("used_at"),
    revokedAt: ts("revoked_at"),
    createdBy: bigint("created_by", { mode: "number" }).references(() => users.id),
  },
  (t) => [
    uniqueIndex("reset_tokens_hash_key").on(t.tokenHash),
    index("reset_tokens_user_idx").on(t.userId, t.purpose),
  ],
);

export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: ts("at").notNull().defaultNow(),
    action: text("action").notNull(),
    actorId: bigint("actor_id", { mode: "number" }),
    subjectId: bigint("subject_id", { mode: "number" }),
    ip: text("ip"),
    detail: jsonb("detail").$type<Record<string, unknown>>(),
  },
  (t) => [
    index("audit_events_subject_idx").on(t.subjectId, t.at),
    index("audit_events_actor_idx").on(t.actorId, t.at),
    index("audit_events_action_idx").on(t.action, t.at),
  ],
);

export const incidents = pgTable("incidents", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  title: text("title").notNull(),
  discoveredAt: ts("discovered_at"),
  breachStartedAt: ts("breach_started_at"),
  breachEndedAt: ts("breach_ended_at"),
  noticeDate: ts("notice_date"),
  passwordsResetAt: ts("passwords_reset_at"),
  createdAt: ts("created_at").notNull().defaultNow(),
});

export type NoticeSections = {
  whatHappened: string;
  informationInvolved: string;
  whatWeAreDoing: string;
  whatYouCanDo: string;
  moreInformation: string;
};
export type NoticeFaq = { question: string; answer: string }[];

export const noticeRevisions = pgTable(
  "notice_revisions",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    incidentId: bigint("incident_id", { mode: "number" })
      .notNull()
      .references(() => incidents.id),
    sections: jsonb("sections").$type<NoticeSections>().notNull(),
    faq: jsonb("faq").$type<NoticeFaq>().notNull().default(sql`'[]'::jsonb`),
    publishedAt: ts("published_at"),
    publishedBy: bigint("published_by", { mode: "number" }).references(() => users.id),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [index("notice_revisions_incident_idx").on(t.incidentId, t.id)],
);

export const noticeUpdates = pgTable(
  "notice_updates",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    incidentId: bigint("incident_id", { mode: "number" })
      .notNull()
      .references(() => incidents.id),
    postedAt: ts("posted_at").notNull().defaultNow(),
    body: text("body").notNull(),
    createdBy: bigint("created_by", { mode: "number" }).references(() => users.id),
  },
  (t) => [index("notice_updates_incident_idx").on(t.incidentId, t.postedAt)],
);

export const campaignStatuses = ["draft", "running", "paused", "completed"] as const;

export const campaigns = pgTable("campaigns", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  incidentId: bigint("incident_id", { mode: "number" }).references(() => incidents.id),
  name: text("name").notNull(),
  status: text("status", { enum: campaignStatuses }).notNull().default("draft"),
  scope: text("scope").notNull().default("customers"),
  createdBy: bigint("created_by", { mode: "number" }).references(() => users.id),
  createdAt: ts("created_at").notNull().defaultNow(),
  startedAt: ts("started_at"),
  completedAt: ts("completed_at"),
  // Recipients are enqueued in id order; this cursor makes enqueueing resumable.
  enqueuedThroughUserId: bigint("enqueued_through_user_id", { mode: "number" })
    .notNull()
    .default(0),
  enqueueDone: boolean("enqueue_done").notNull().default(false),
});

export const recipientStatuses = [
  "pending",
  "sending",
  "sent",
  "delivered",
  "bounced",
  "complained",
  "failed",
  "suppressed",
] as const;

export const campaignRecipients = pgTable(
  "campaign_recipients",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    campaignId: bigint("campaign_id", { mode: "number" })
      .notNull()
      .references(() => campaigns.id),
    userId: bigint("user_id", { mode: "number" })
      .notNull()
      .references(() => users.id),
    email: text("email").notNull(),
    status: text("status", { enum: recipientStatuses }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    batchKey: text("batch_key"),
    claimedBy: text("claimed_by"),
    claimedUntil: ts("claimed_until"),
    providerMessageId: text("provider_message_id"),
    // While a batch is in flight: its personal link, encrypted (AES-GCM, key
    // from AUTH_SECRET), so that a retried batch is byte-identical and the
    // provider's idempotency key deduplicates it. Cleared once sent.
    sealedLink: text("sealed_link"),
    lastError: text("last_error"),
    sentAt: ts("sent_at"),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("campaign_recipients_campaign_user_key").on(t.campaignId, t.userId),
    index("campaign_recipients_status_idx").on(t.campaignId, t.status, t.id),
    index("campaign_recipients_message_idx").on(t.providerMessageId),
    index("campaign_recipients_batch_idx").on(t.batchKey),
  ],
);

// One row per provider call window, shared by every worker (SPEC 4.8).
export const providerRateWindows = pgTable("provider_rate_windows", {
  provider: text("provider").primaryKey(),
  nextAllowedAt: ts("next_allowed_at").notNull().defaultNow(),
});

export const emailEvents = pgTable(
  "email_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    svixId: text("svix_id").notNull(),
    type: text("type").notNull(),
    providerMessageId: text("provider_message_id"),
    email: text("email"),
    receivedAt: ts("received_at").notNull().defaultNow(),
    payload: jsonb("payload").$type<Record<string, unknown>>(),
  },
  (t) => [
    uniqueIndex("email_events_svix_id_key").on(t.svixId),
    index("email_events_email_idx").on(t.email),
  ],
);

export const suppressedEmails = pgTable("suppressed_emails", {
  email: text("email").primaryKey(),
  reason: text("reason").notNull(),
  at: ts("at").notNull().defaultNow(),
});

// Every email the app sends, whatever the transport: lets agents see what a
// customer was sent and its delivery state (SPEC 4.7).
export const sentEmails = pgTable(
  "sent_emails",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    to: text("to").notNull(),
    userId: bigint("user_id", { mode: "number" }),
    kind: text("kind").notNull(),
    subject: text("subject").notNull(),
    status: text("status").notNull().default("sent"),
    providerMessageId: text("provider_message_id"),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    index("sent_emails_to_idx").on(t.to, t.createdAt),
    index("sent_emails_message_idx").on(t.providerMessageId),
  ],
);

// The dev transport: captured emails shown at /dev/mailbox.
export const outboxEmails = pgTable(
  "outbox_emails",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    to: text("to").notNull(),
    from: text("from").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    html: text("html").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [index("outbox_emails_to_idx").on(t.to, t.id)],
);

export const supportStatuses = ["open", "waiting", "resolved"] as const;

export const supportRequests = pgTable(
  "support_requests",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    reference: text("reference").notNull(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    userId: bigint("user_id", { mode: "number" }).references(() => users.id),
    status: text("status", { enum: supportStatuses }).notNull().default("open"),
    assignedTo: bigint("assigned_to", { mode: "number" }).references(() => users.id),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    resolvedAt: ts("resolved_at"),
  },
  (t) => [
    uniqueIndex("support_requests_reference_key").on(t.reference),
    index("support_requests_status_idx").on(t.status, t.createdAt),
    index("support_requests_email_idx").on(t.email),
  ],
);

export const supportMessageKinds = ["customer", "reply", "note"] as const;

export const supportMessages = pgTable(
  "support_messages",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    requestId: bigint("request_id", { mode: "number" })
      .notNull()
      .references(() => supportRequests.id),
    kind: text("kind", { enum: supportMessageKinds }).notNull(),
    authorId: bigint("author_id", { mode: "number" }).references(() => users.id),
    body: text("body").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [index("support_messages_request_idx").on(t.requestId, t.createdAt)],
);

export const rateLimitBuckets = pgTable(
  "rate_limit_buckets",
  {
    policy: text("policy").notNull(),
    key: text("key").notNull(),
    windowStart: ts("window_start").notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.policy, t.key, t.windowStart] }),
    index("rate_limit_buckets_window_idx").on(t.windowStart),
  ],
);

// Resumable long jobs (expiry, end-sessions): a cursor per job, committed with
// each batch so that a re-run continues where the last one stopped.
export const jobs = pgTable("jobs", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  kind: text("kind").notNull(),
  scope: jsonb("scope").$type<Record<string, unknown>>().notNull(),
  status: text("status").notNull().default("running"),
  cursor: bigint("cursor", { mode: "number" }).notNull().default(0),
  lastId: bigint("last_id", { mode: "number" }).notNull().default(0),
  processed: bigint("processed", { mode: "number" }).notNull().default(0),
  total: bigint("total", { mode: "number" }).notNull().default(0),
  at: ts("at").notNull(),
  // An expiry that also deletes the accounts' passkeys (a breach with write access).
  clearPasskeys: boolean("clear_passkeys").notNull().default(false),
  createdBy: bigint("created_by", { mode: "number" }),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
  finishedAt: ts("finished_at"),
});

// Periodic snapshots of the incident counters, for the dashboard chart.
export const metricSnapshots = pgTable("metric_snapshots", {
  at: ts("at").primaryKey(),
  counts: jsonb("counts").$type<Record<string, number>>().notNull(),
});

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (value) => new Uint8Array(value),
});

export const signInMethods = ["password", "passkey"] as const;
export type SignInMethod = (typeof signInMethods)[number];

// One row per sign-in: the JWT carries its id (`sid`), and every request checks
// it is neither ended nor idle (docs/decisions/0011-device-sessions.md).
export const deviceSessions = pgTable(
  "device_sessions",
  {
    id: text("id").primaryKey(),
    userId: bigint("user_id", { mode: "number" })
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    method: text("method", { enum: signInMethods }).notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
    lastSeenAt: ts("last_seen_at").notNull().defaultNow(),
    endedAt: ts("ended_at"),
    endReason: text("end_reason"),
    userAgent: text("user_agent"),
    browser: text("browser"),
    os: text("os"),
    ip: text("ip"),
  },
  (t) => [index("device_sessions_user_live_idx").on(t.userId, t.lastSeenAt).where(sql`${t.endedAt} is null`)],
);

// WebAuthn credentials: only public keys, so a stolen copy signs nobody in.
export const passkeys = pgTable(
  "passkeys",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    userId: bigint("user_id", { mode: "number" })
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    credentialId: text("credential_id").notNull(),
    publicKey: bytea("public_key").notNull(),
    counter: bigint("counter", { mode: "number" }).notNull().default(0),
    transports: text("transports").array().notNull().default(sql`'{}'::text[]`),
    backedUp: boolean("backed_up").notNull().default(false),
    deviceType: text("device_type").notNull(),
    name: text("name").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
    lastUsedAt: ts("last_used_at"),
  },
  (t) => [uniqueIndex("passkeys_credential_id_key").on(t.credentialId), index("passkeys_user_idx").on(t.userId)],
);

export const webauthnPurposes = ["registration", "authentication"] as const;

// Ceremony challenges, server-side and single use (taken with a conditional UPDATE).
export const webauthnChallenges = pgTable(
  "webauthn_challenges",
  {
    id: text("id").primaryKey(),
    challenge: text("challenge").notNull(),
    userId: bigint("user_id", { mode: "number" }).references(() => users.id, { onDelete: "cascade" }),
    purpose: text("purpose", { enum: webauthnPurposes }).notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
    expiresAt: ts("expires_at").notNull(),
    usedAt: ts("used_at"),
  },
  (t) => [index("webauthn_challenges_expires_idx").on(t.expiresAt)],
);
