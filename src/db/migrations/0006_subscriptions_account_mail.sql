ALTER TYPE "public"."token_kind" ADD VALUE 'password_reset';--> statement-breakpoint
ALTER TYPE "public"."token_kind" ADD VALUE 'magic_link';--> statement-breakpoint
CREATE TABLE "subscriptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"ticket_id" uuid,
	"external_system" text,
	"external_key" text,
	"notify_on" text DEFAULT 'updates' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "subscriptions_one_target" CHECK (("subscriptions"."ticket_id" IS NOT NULL) <> ("subscriptions"."external_system" IS NOT NULL AND "subscriptions"."external_key" IS NOT NULL)),
	CONSTRAINT "subscriptions_notify_on" CHECK ("subscriptions"."notify_on" IN ('resolved', 'updates'))
);
--> statement-breakpoint
ALTER TABLE "outbound_emails" ALTER COLUMN "ticket_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "outbound_emails" ADD COLUMN "user_id" uuid;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "subscriptions_user_ticket_idx" ON "subscriptions" USING btree ("user_id","ticket_id");--> statement-breakpoint
CREATE UNIQUE INDEX "subscriptions_user_external_idx" ON "subscriptions" USING btree ("user_id","external_system","external_key");--> statement-breakpoint
CREATE INDEX "subscriptions_ticket_idx" ON "subscriptions" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "subscriptions_external_idx" ON "subscriptions" USING btree ("external_system","external_key");--> statement-breakpoint
ALTER TABLE "outbound_emails" ADD CONSTRAINT "outbound_emails_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "outbound_emails_user_idx" ON "outbound_emails" USING btree ("user_id");