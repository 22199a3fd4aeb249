CREATE TABLE "dev_received_emails" (
	"email_id" text PRIMARY KEY NOT NULL,
	"message" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "email_bounces" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"inbound_event_id" bigint NOT NULL,
	"message_id" text,
	"sent_email_id" bigint,
	"reporter" text NOT NULL,
	"subject" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inbound_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"svix_id" text NOT NULL,
	"email_id" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"outcome" text,
	"request_id" bigint,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "support_thread_ids" (
	"message_id" text PRIMARY KEY NOT NULL,
	"request_id" bigint NOT NULL,
	"ours" boolean NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "outbox_emails" ADD COLUMN "headers" jsonb;--> statement-breakpoint
ALTER TABLE "sent_emails" ADD COLUMN "message_id" text;--> statement-breakpoint
ALTER TABLE "support_messages" ADD COLUMN "channel" text DEFAULT 'web' NOT NULL;--> statement-breakpoint
ALTER TABLE "support_messages" ADD COLUMN "from_address" text;--> statement-breakpoint
ALTER TABLE "support_messages" ADD COLUMN "subject" text;--> statement-breakpoint
ALTER TABLE "support_messages" ADD COLUMN "message_id" text;--> statement-breakpoint
ALTER TABLE "support_messages" ADD COLUMN "attachments" jsonb;--> statement-breakpoint
ALTER TABLE "support_messages" ADD COLUMN "from_html" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "support_messages" ADD COLUMN "inbound_event_id" bigint;--> statement-breakpoint
ALTER TABLE "support_requests" ADD COLUMN "channel" text DEFAULT 'web' NOT NULL;--> statement-breakpoint
ALTER TABLE "support_thread_ids" ADD CONSTRAINT "support_thread_ids_request_id_support_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."support_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "email_bounces_event_key" ON "email_bounces" USING btree ("inbound_event_id");--> statement-breakpoint
CREATE INDEX "email_bounces_message_idx" ON "email_bounces" USING btree ("message_id");--> statement-breakpoint
CREATE UNIQUE INDEX "inbound_events_svix_id_key" ON "inbound_events" USING btree ("svix_id");--> statement-breakpoint
CREATE UNIQUE INDEX "inbound_events_email_id_key" ON "inbound_events" USING btree ("email_id");--> statement-breakpoint
CREATE INDEX "inbound_events_due_idx" ON "inbound_events" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "support_thread_ids_request_idx" ON "support_thread_ids" USING btree ("request_id","created_at");--> statement-breakpoint
CREATE INDEX "sent_emails_message_id_idx" ON "sent_emails" USING btree ("message_id");--> statement-breakpoint
CREATE UNIQUE INDEX "support_messages_inbound_event_key" ON "support_messages" USING btree ("inbound_event_id");