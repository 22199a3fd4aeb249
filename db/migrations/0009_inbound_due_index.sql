DROP INDEX "inbound_events_due_idx";--> statement-breakpoint
CREATE INDEX "inbound_events_due_idx" ON "inbound_events" USING btree ("next_attempt_at") WHERE status = 'pending';