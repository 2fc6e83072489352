ALTER TABLE "inbound_events" ADD COLUMN "dispatched_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "inbound_events_undispatched_idx" ON "inbound_events" USING btree ("source","received_at") WHERE "inbound_events"."dispatched_at" IS NULL AND "inbound_events"."processed_at" IS NULL;--> statement-breakpoint
-- Every event stored before this migration had its processing job queued by its receiver.
UPDATE "inbound_events" SET "dispatched_at" = "received_at";
