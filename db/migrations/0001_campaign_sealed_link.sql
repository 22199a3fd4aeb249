ALTER TABLE "campaign_recipients" ADD COLUMN "sealed_link" text;--> statement-breakpoint
CREATE INDEX "campaign_recipients_batch_idx" ON "campaign_recipients" USING btree ("batch_key");