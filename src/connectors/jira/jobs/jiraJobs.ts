import type { AnyJobDefinition } from "../../../jobs/defineJob.js";
import { dispatchEventsJob } from "./dispatchEventsJob.js";
import { createDynamicWebhooksJob, dynamicWebhooksJob } from "./dynamicWebhooksJob.js";
import { createEscalateJob, escalateJob } from "./escalateJob.js";
import { createFindDeletedJob, findDeletedJob } from "./findDeletedJob.js";
import { createPostCommentsJob, postCommentsJob } from "./postCommentsJob.js";
import { createProcessEventJob, processEventJob } from "./processEventJob.js";
import { createReconcileJob, reconcileJob } from "./reconcileJob.js";
import { createSyncTicketJob, syncTicketJob, type JiraJobOptions } from "./syncTicketJob.js";
import { createCreateRequestedIssueJob, createRequestedIssueJob } from "./createRequestedIssueJob.js";
import { createStatusLimitsJob, createSyncCustomersJob, statusLimitsJob, syncCustomersJob } from "./customerJobs.js";

/** The Jira connector's jobs, as the process registers them. */
export const jiraJobs: readonly AnyJobDefinition[] = [escalateJob, postCommentsJob, syncTicketJob, dispatchEventsJob, processEventJob, reconcileJob, syncCustomersJob, statusLimitsJob, createRequestedIssueJob, dynamicWebhooksJob, findDeletedJob];

/** The same jobs with other retry timings or settings (tests): same names, same payloads. */
export function createJiraJobs(options: JiraJobOptions): AnyJobDefinition[] {
  return [createEscalateJob(options), createPostCommentsJob(options), createSyncTicketJob(options), dispatchEventsJob, createProcessEventJob(options), createReconcileJob(options), createSyncCustomersJob(options), createStatusLimitsJob(), createCreateRequestedIssueJob(options), createDynamicWebhooksJob(options), createFindDeletedJob(options)];
}
