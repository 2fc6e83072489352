CREATE TABLE "job_steps" (
	"job_id" uuid NOT NULL,
	"step_key" text NOT NULL,
	"result" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "job_steps_job_id_step_key_pk" PRIMARY KEY("job_id","step_key")
);
--> statement-breakpoint
CREATE INDEX "job_steps_created_at_idx" ON "job_steps" USING btree ("created_at");