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
    // The desk's lookup by a prefix of the address or of the name, in index
    // order (a byte-wise "C" collation makes LIKE 'prefix%' a range scan).
    index("users_email_prefix_idx").on(sql`(${t.email} collate "C")`),
    index("users_name_prefix_idx").on(sql`(lower(${t.name}) collate "C")`),
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
    /** our own Message-ID header, when we set one: a delivery report names it */
    messageId: text("message_id"),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    index("sent_emails_to_idx").on(t.to, t.createdAt),
    index("sent_emails_user_idx").on(t.userId, t.createdAt),
    index("sent_emails_message_idx").on(t.providerMessageId),
    index("sent_emails_message_id_idx").on(t.messageId),
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
    /** threading and loop headers (Message-ID, Reply-To, References, Auto-Submitted), as sent */
    headers: jsonb("headers").$type<Record<string, string>>(),
    /** the sender's Idempotency-Key (one per email; "key#n" in a batch): a retried send stores nothing new, as Resend does */
    idempotencyKey: text("idempotency_key"),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [index("outbox_emails_to_idx").on(t.to, t.id), uniqueIndex("outbox_emails_idempotency_key").on(t.idempotencyKey)],
);

/** "merged": folded into another request of the same customer (merged_into), out of every queue */
export const supportStatuses = ["open", "waiting", "resolved", "merged"] as const;
export type SupportStatus = (typeof supportStatuses)[number];
/** what a request is about (lib/support/topics.ts holds the labels and the email rules) */
export const supportTopics = ["sign-in", "card", "genuine", "data", "other"] as const;

export const supportRequests = pgTable(
  "support_requests",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    reference: text("reference").notNull(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    userId: bigint("user_id", { mode: "number" }).references(() => users.id),
    status: text("status", { enum: supportStatuses }).notNull().default("open"),
    /** how the request was opened: the contact form or an email */
    channel: text("channel", { enum: ["web", "email"] }).notNull().default("web"),
    assignedTo: bigint("assigned_to", { mode: "number" }).references(() => users.id),
    topic: text("topic", { enum: supportTopics }).notNull().default("other"),
    /** set when merged: the surviving request (always a survivor, never a merged one) */
    mergedInto: bigint("merged_into", { mode: "number" }),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    resolvedAt: ts("resolved_at"),
  },
  (t) => [
    uniqueIndex("support_requests_reference_key").on(t.reference),
    // The queue's pages, oldest first, by keyset (created_at, id): per status,
    // per status and topic, and "mine" (an agent's unresolved requests).
    index("support_requests_status_idx").on(t.status, t.createdAt, t.id),
    index("support_requests_status_topic_idx").on(t.status, t.topic, t.createdAt, t.id),
    index("support_requests_mine_idx")
      .on(t.assignedTo, t.createdAt, t.id)
      .where(sql`${t.status} in ('open', 'waiting')`),
    // "Take next": the oldest unclaimed request of a status (and topic).
    index("support_requests_unclaimed_idx")
      .on(t.status, t.createdAt, t.id)
      .where(sql`${t.assignedTo} is null`),
    index("support_requests_unclaimed_topic_idx")
      .on(t.status, t.topic, t.createdAt, t.id)
      .where(sql`${t.assignedTo} is null`),
    index("support_requests_email_idx").on(t.email),
    // Search by a prefix of the customer's address, in index order.
    index("support_requests_email_prefix_idx").on(sql`(${t.email} collate "C")`),
    index("support_requests_user_idx").on(t.userId, t.createdAt),
    index("support_requests_merged_into_idx").on(t.mergedInto),
  ],
);

export const supportMessageKinds = ["customer", "reply", "note"] as const;
/** how a message came: the contact form, an email, or the desk itself (replies, notes) */
export const supportChannels = ["web", "email", "desk"] as const;
export type SupportChannel = (typeof supportChannels)[number];
export type InboundAttachmentInfo = { filename: string; contentType: string; size: number };

export const supportMessages = pgTable(
  "support_messages",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    requestId: bigint("request_id", { mode: "number" })
      .notNull()
      .references(() => supportRequests.id),
    kind: text("kind", { enum: supportMessageKinds }).notNull(),
    channel: text("channel", { enum: supportChannels }).notNull().default("web"),
    authorId: bigint("author_id", { mode: "number" }).references(() => users.id),
    body: text("body").notNull(),
    /** inbound email only: the sender as written, the subject, the sender's Message-ID */
    fromAddress: text("from_address"),
    subject: text("subject"),
    messageId: text("message_id"),
    /** inbound email only: attachments listed by name, type and size (never stored or served) */
    attachments: jsonb("attachments").$type<InboundAttachmentInfo[]>(),
    /** inbound email only: the body came from the HTML part, converted to text */
    fromHtml: boolean("from_html").notNull().default(false),
    /** the inbound event that created it: one message per event, whatever is redelivered */
    inboundEventId: bigint("inbound_event_id", { mode: "number" }),
    /** a reply sent by a bulk answer (bulk_answers) */
    bulkAnswerId: bigint("bulk_answer_id", { mode: "number" }),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    index("support_messages_request_idx").on(t.requestId, t.createdAt),
    uniqueIndex("support_messages_inbound_event_key").on(t.inboundEventId),
    // Full-text search over every message (subject and body), the same
    // expression as lib/support/search.ts's messageSearchVector.
    index("support_messages_search_idx").using(
      "gin",
      sql`to_tsvector('english', coalesce(${t.subject}, '') || ' ' || ${t.body})`,
    ),
  ],
);

// Who has a request open: one row per agent and request, touched at most
// every few seconds while the page is viewed; "open by X" reads the recent ones.
export const supportRequestViews = pgTable(
  "support_request_views",
  {
    requestId: bigint("request_id", { mode: "number" }).notNull(),
    agentId: bigint("agent_id", { mode: "number" }).notNull(),
    seenAt: ts("seen_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.requestId, t.agentId] })],
);

// Saved replies: an admin's Markdown answers (the notice's subset) with
// placeholders, inserted into replies and sent by bulk answers. Archived, not
// deleted, so a bulk answer that used one keeps pointing at it.
export const savedReplies = pgTable(
  "saved_replies",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    /** a topic it answers, offered first for requests of that topic */
    topic: text("topic", { enum: supportTopics }),
    createdBy: bigint("created_by", { mode: "number" }),
    updatedBy: bigint("updated_by", { mode: "number" }),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    archivedAt: ts("archived_at"),
  },
  (t) => [uniqueIndex("saved_replies_title_key").on(sql`lower(${t.title})`).where(sql`${t.archivedAt} is null`)],
);

export const bulkAnswerStatuses = ["running", "done", "failed"] as const;

// A bulk answer: one saved reply to many requests, as a resumable job (the
// shape of the expiry): targets fixed at confirmation, a cursor committed with
// each batch, a lease so one worker at a time runs it (decision 0015).
export const bulkAnswers = pgTable("bulk_answers", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  /** the confirmation form's one-time key: a double click or a resubmission finds the same job */
  clientKey: text("client_key").notNull().unique(),
  createdBy: bigint("created_by", { mode: "number" }).notNull(),
  savedReplyId: bigint("saved_reply_id", { mode: "number" }).notNull(),
  /** the saved reply's title and body as confirmed: later edits do not change what this job sends */
  title: text("title").notNull(),
  body: text("body").notNull(),
  markResolved: boolean("mark_resolved").notNull().default(false),
  /** how the targets were chosen (selected ids, or a filter/topic/search), for the record */
  selection: jsonb("selection").$type<Record<string, unknown>>().notNull(),
  status: text("status", { enum: bulkAnswerStatuses }).notNull().default("running"),
  total: integer("total").notNull().default(0),
  processed: integer("processed").notNull().default(0),
  sent: integer("sent").notNull().default(0),
  skipped: integer("skipped").notNull().default(0),
  /** the last target request id processed (targets are worked in id order) */
  cursor: bigint("cursor", { mode: "number" }).notNull().default(0),
  leaseUntil: ts("lease_until"),
  /** the runner holding the lease (host:pid:random): only it may advance the job */
  leaseOwner: text("lease_owner"),
  lastError: text("last_error"),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
  finishedAt: ts("finished_at"),
});

export const bulkTargetOutcomes = ["sent", "stale", "duplicate", "closed"] as const;

// The requests of a bulk answer, each with the newest customer message it had
// when the agent confirmed: a newer one since means the customer said more,
// and the request is left out ("stale") and named in the result.
export const bulkAnswerTargets = pgTable(
  "bulk_answer_targets",
  {
    bulkAnswerId: bigint("bulk_answer_id", { mode: "number" }).notNull(),
    requestId: bigint("request_id", { mode: "number" }).notNull(),
    seenMessageId: bigint("seen_message_id", { mode: "number" }).notNull().default(0),
    outcome: text("outcome", { enum: bulkTargetOutcomes }),
    processedAt: ts("processed_at"),
  },
  (t) => [
    primaryKey({ columns: [t.bulkAnswerId, t.requestId] }),
    index("bulk_answer_targets_outcome_idx").on(t.bulkAnswerId, t.outcome),
  ],
);

// One row per bulk reply actually sent: the key (request, saved reply, newest
// customer message seen) is what makes a second click, a resumed job or
// another agent's overlapping job send nothing twice.
export const bulkDeliveries = pgTable(
  "bulk_deliveries",
  {
    requestId: bigint("request_id", { mode: "number" }).notNull(),
    savedReplyId: bigint("saved_reply_id", { mode: "number" }).notNull(),
    seenMessageId: bigint("seen_message_id", { mode: "number" }).notNull(),
    bulkAnswerId: bigint("bulk_answer_id", { mode: "number" }).notNull(),
    /** the reply message recorded on the request */
    messageId: bigint("message_id", { mode: "number" }),
    /** the email's threading headers (Message-ID, In-Reply-To, References), fixed when recorded: a send retried after a crash is byte-identical, so the provider's idempotency key deduplicates it */
    emailHeaders: jsonb("email_headers").$type<Record<string, string>>(),
    /** set once the email went out (the transport call returned) */
    emailedAt: ts("emailed_at"),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.requestId, t.savedReplyId, t.seenMessageId] }),
    index("bulk_deliveries_job_idx").on(t.bulkAnswerId, t.emailedAt),
  ],
);

// Every Message-ID on a request's thread, ours (emails we sent about it) and
// the customer's: References are built from it, and an inbound In-Reply-To or
// References joins a request only through one of ours (decision 0007).
export const supportThreadIds = pgTable(
  "support_thread_ids",
  {
    messageId: text("message_id").primaryKey(),
    requestId: bigint("request_id", { mode: "number" })
      .notNull()
      .references(() => supportRequests.id),
    ours: boolean("ours").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [index("support_thread_ids_request_idx").on(t.requestId, t.createdAt)],
);

export const inboundStatuses = ["pending", "done", "failed"] as const;

// Resend's email.received events, kept until processed and afterwards: the
// webhook stores them and answers at once; fetching the message and filing it
// happen later, retried with backoff (decision 0007).
export const inboundEvents = pgTable(
  "inbound_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    svixId: text("svix_id").notNull(),
    emailId: text("email_id").notNull(),
    // The event as it came: a received event is stored here only (delivery events are in email_events).
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    status: text("status", { enum: inboundStatuses }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: ts("next_attempt_at").notNull().defaultNow(),
    lastError: text("last_error"),
    /** what it became: request, message, bounce, ignored */
    outcome: text("outcome"),
    requestId: bigint("request_id", { mode: "number" }),
    receivedAt: ts("received_at").notNull().defaultNow(),
    processedAt: ts("processed_at"),
  },
  (t) => [
    uniqueIndex("inbound_events_svix_id_key").on(t.svixId),
    uniqueIndex("inbound_events_email_id_key").on(t.emailId),
    // Only the events still to do: the claim's scan stays small however many are done.
    index("inbound_events_due_idx").on(t.nextAttemptAt).where(sql`status = 'pending'`),
  ],
);

// With the outbox transport only: test emails sent into the desk from
// /dev/mailbox, served to the inbound fetch in place of Resend's receiving API.
export const devReceivedEmails = pgTable("dev_received_emails", {
  emailId: text("email_id").primaryKey(),
  message: jsonb("message").$type<Record<string, unknown>>().notNull(),
  createdAt: ts("created_at").notNull().defaultNow(),
});

// A delivery report received by email, recorded against the email it reports.
export const emailBounces = pgTable(
  "email_bounces",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    inboundEventId: bigint("inbound_event_id", { mode: "number" }).notNull(),
    /** our Message-ID that the report names, when it names one */
    messageId: text("message_id"),
    sentEmailId: bigint("sent_email_id", { mode: "number" }),
    reporter: text("reporter").notNull(),
    subject: text("subject").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("email_bounces_event_key").on(t.inboundEventId),
    index("email_bounces_message_idx").on(t.messageId),
  ],
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

// The dashboard's counts at any size (decision 0013): every write to a counted
// table appends its net change here from a statement-level trigger (no hot
// row: concurrent writers on every instance only append), and the metrics
// worker folds the deltas into `counters`. A count is its counter plus the
// deltas not folded yet.
export const counters = pgTable("counters", {
  metric: text("metric").primaryKey(),
  value: bigint("value", { mode: "number" }).notNull().default(0),
});

export const counterDeltas = pgTable(
  "counter_deltas",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    metric: text("metric").notNull(),
    delta: bigint("delta", { mode: "number" }).notNull(),
  },
  (t) => [index("counter_deltas_metric_idx").on(t.metric)],
);

// Accounts whose password was reset at least once (the "Passwords reset"
// count): the primary key makes counting a user's first reset race-free.
export const countedResets = pgTable("counted_resets", {
  userId: bigint("user_id", { mode: "number" }).primaryKey(),
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
