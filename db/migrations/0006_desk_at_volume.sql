CREATE TABLE "bulk_answer_targets" (
	"bulk_answer_id" bigint NOT NULL,
	"request_id" bigint NOT NULL,
	"seen_message_id" bigint DEFAULT 0 NOT NULL,
	"outcome" text,
	"processed_at" timestamp with time zone,
	CONSTRAINT "bulk_answer_targets_bulk_answer_id_request_id_pk" PRIMARY KEY("bulk_answer_id","request_id")
);
--> statement-breakpoint
CREATE TABLE "bulk_answers" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"client_key" text NOT NULL,
	"created_by" bigint NOT NULL,
	"saved_reply_id" bigint NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"mark_resolved" boolean DEFAULT false NOT NULL,
	"selection" jsonb NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"processed" integer DEFAULT 0 NOT NULL,
	"sent" integer DEFAULT 0 NOT NULL,
	"skipped" integer DEFAULT 0 NOT NULL,
	"cursor" bigint DEFAULT 0 NOT NULL,
	"lease_until" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "bulk_answers_client_key_unique" UNIQUE("client_key")
);
--> statement-breakpoint
CREATE TABLE "bulk_deliveries" (
	"request_id" bigint NOT NULL,
	"saved_reply_id" bigint NOT NULL,
	"seen_message_id" bigint NOT NULL,
	"bulk_answer_id" bigint NOT NULL,
	"message_id" bigint,
	"emailed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bulk_deliveries_request_id_saved_reply_id_seen_message_id_pk" PRIMARY KEY("request_id","saved_reply_id","seen_message_id")
);
--> statement-breakpoint
CREATE TABLE "saved_replies" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"topic" text,
	"created_by" bigint,
	"updated_by" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"archived_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "support_request_views" (
	"request_id" bigint NOT NULL,
	"agent_id" bigint NOT NULL,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "support_request_views_request_id_agent_id_pk" PRIMARY KEY("request_id","agent_id")
);
--> statement-breakpoint
DROP INDEX "support_requests_status_idx";--> statement-breakpoint
ALTER TABLE "outbox_emails" ADD COLUMN "idempotency_key" text;--> statement-breakpoint
ALTER TABLE "support_messages" ADD COLUMN "bulk_answer_id" bigint;--> statement-breakpoint
ALTER TABLE "support_requests" ADD COLUMN "topic" text DEFAULT 'other' NOT NULL;--> statement-breakpoint
ALTER TABLE "support_requests" ADD COLUMN "merged_into" bigint;--> statement-breakpoint
CREATE INDEX "bulk_answer_targets_outcome_idx" ON "bulk_answer_targets" USING btree ("bulk_answer_id","outcome");--> statement-breakpoint
CREATE INDEX "bulk_deliveries_job_idx" ON "bulk_deliveries" USING btree ("bulk_answer_id","emailed_at");--> statement-breakpoint
CREATE UNIQUE INDEX "saved_replies_title_key" ON "saved_replies" USING btree (lower("title")) WHERE "saved_replies"."archived_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_emails_idempotency_key" ON "outbox_emails" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "support_messages_search_idx" ON "support_messages" USING gin (to_tsvector('english', coalesce("subject", '') || ' ' || "body"));--> statement-breakpoint
CREATE INDEX "support_requests_status_topic_idx" ON "support_requests" USING btree ("status","topic","created_at","id");--> statement-breakpoint
CREATE INDEX "support_requests_mine_idx" ON "support_requests" USING btree ("assigned_to","created_at","id") WHERE "support_requests"."status" in ('open', 'waiting');--> statement-breakpoint
CREATE INDEX "support_requests_unclaimed_idx" ON "support_requests" USING btree ("status","created_at","id") WHERE "support_requests"."assigned_to" is null;--> statement-breakpoint
CREATE INDEX "support_requests_unclaimed_topic_idx" ON "support_requests" USING btree ("status","topic","created_at","id") WHERE "support_requests"."assigned_to" is null;--> statement-breakpoint
CREATE INDEX "support_requests_email_prefix_idx" ON "support_requests" USING btree (("email" collate "C"));--> statement-breakpoint
CREATE INDEX "support_requests_merged_into_idx" ON "support_requests" USING btree ("merged_into");--> statement-breakpoint
CREATE INDEX "users_email_prefix_idx" ON "users" USING btree (("email" collate "C"));--> statement-breakpoint
CREATE INDEX "users_name_prefix_idx" ON "users" USING btree ((lower("name") collate "C"));--> statement-breakpoint
CREATE INDEX "support_requests_status_idx" ON "support_requests" USING btree ("status","created_at","id");