import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../../../app.js";
import { authRoutes } from "./auth.js";
import { ticketRoutes } from "./tickets/tickets.js";
import { ticketExportRoutes } from "./tickets/export.js";
import { ticketMessageRoutes } from "./tickets/messages.js";
import { ticketAttachmentRoutes } from "./tickets/attachments.js";
import { ticketActionRoutes } from "./tickets/actions.js";
import { userRoutes } from "./users.js";
import { teamRoutes } from "./teams.js";
import { tokenRoutes } from "./tokens.js";
import { organizationRoutes } from "./organizations.js";
import { slaRoutes } from "./sla.js";
import { ticketSlaRoutes } from "./tickets/sla.js";
import { notificationRoutes } from "./notifications.js";
import { statsRoutes } from "./stats.js";
import { viewRoutes } from "./views.js";
import { jobRoutes } from "./jobs.js";
import { webhookRoutes } from "./webhooks.js";
import { streamRoutes } from "./stream.js";
import { subscriptionRoutes } from "./subscriptions.js";
import { connectionRoutes } from "./connections.js";
import { ticketLinkRoutes } from "./tickets/links.js";
import { jiraCustomerRoutes } from "./jira/customerIssues.js";
import { jiraIssueRequestRoutes } from "./jira/issueRequests.js";

export type RouteOptions = { deps: AppDeps };

export async function apiV1Routes(app: FastifyInstance, opts: RouteOptions) {
  for (const routes of [
    authRoutes,
    ticketRoutes,
    ticketExportRoutes,
    ticketMessageRoutes,
    ticketAttachmentRoutes,
    ticketActionRoutes,
    userRoutes,
    teamRoutes,
    tokenRoutes,
    organizationRoutes,
    slaRoutes,
    ticketSlaRoutes,
    notificationRoutes,
    statsRoutes,
    viewRoutes,
    jobRoutes,
    webhookRoutes,
    streamRoutes,
    subscriptionRoutes,
    connectionRoutes,
    jiraCustomerRoutes,
    jiraIssueRequestRoutes,
    ticketLinkRoutes,
  ]) {
    await app.register(routes, { deps: opts.deps });
  }
}
