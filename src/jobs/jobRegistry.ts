import type { AnyJobDefinition } from "./defineJob.js";
import { pruneJobSteps } from "./pruneJobSteps.js";
import { sendEmail } from "../connectors/email/outbound/sendEmail.js";
import { sendAccountEmail } from "../connectors/email/outbound/sendAccountEmail.js";
import { deliverWebhook } from "../connectors/webhooks/deliverWebhook.js";
import { pruneWebhookDeliveries } from "../connectors/webhooks/pruneWebhookDeliveries.js";
import { jiraJobs } from "../connectors/jira/jobs/jiraJobs.js";

/**
 * Every job the application runs. Each process starts its queue with this list, so queues exist
 * before anything is enqueued, and worker processes run a handler for each.
 */
export const jobRegistry: readonly AnyJobDefinition[] = [pruneJobSteps, sendEmail, sendAccountEmail, deliverWebhook, pruneWebhookDeliveries, ...jiraJobs];
