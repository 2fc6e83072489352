import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../../app.js";
import { jiraWebhookRoutes } from "./jira.js";

/** Receivers of other systems' webhooks, under /webhooks (DESIGN.md §5). Each is public and verifies its own signature. */
export async function inboundWebhookRoutes(app: FastifyInstance, opts: { deps: AppDeps }) {
  await app.register(jiraWebhookRoutes, { deps: opts.deps });
}
