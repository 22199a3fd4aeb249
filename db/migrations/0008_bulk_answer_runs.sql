ALTER TABLE "bulk_answers" ADD COLUMN "lease_owner" text;--> statement-breakpoint
ALTER TABLE "bulk_deliveries" ADD COLUMN "email_headers" jsonb;