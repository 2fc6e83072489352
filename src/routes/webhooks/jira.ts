import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppDeps } from "../../app.js";
import { receiveJiraWebhook } from "../../commands/jira/receiveJiraWebhook.js";
import { jiraSettingsFrom } from "../../connectors/jira/jiraSettings.js";
import { AppError } from "../../errors.js";
import { ZProblem } from "../../presenters/schemas.js";

/** Issue payloads carry every field of the site; more than the API's 1 MiB is plausible. */
const BODY_LIMIT = 8 * 1024 * 1024;

/**
 * `POST /webhooks/jira`: public, authenticated by the `X-Hub-Signature` HMAC over the raw body.
 * This plugin replaces the JSON parser with one that keeps the exact bytes (only here: a
 * re-serialised body would not verify), and answers as soon as the event is stored.
 */
export async function jiraWebhookRoutes(fastify: FastifyInstance, { deps }: { deps: AppDeps }) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const settings = jiraSettingsFrom(deps.config);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: BODY_LIMIT }, (_req, body, done) => done(null, body));

  app.post(
    "/jira",
    {
      config: { auth: "public" },
      bodyLimit: BODY_LIMIT,
      schema: {
        tags: ["inbound webhooks"],
        summary: "Jira webhook receiver (X-Hub-Signature required; refused when the connection has no webhook secret)",
        response: { 202: z.object({ received: z.literal(true), duplicate: z.boolean() }), 400: ZProblem, 401: ZProblem, 404: ZProblem, 413: ZProblem, 503: ZProblem },
      },
    },
    async (req, reply) => {
      const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      try {
        const received = await receiveJiraWebhook({ db: deps.database.db, secretKey: settings.secretKey, rawBody, headers: req.headers, log: req.log });
        req.log.debug({ deliveryId: received.deliveryId, webhookEvent: received.webhookEvent, duplicate: received.isDuplicate }, "jira webhook stored");
        return reply.code(202).send({ received: true, duplicate: received.isDuplicate });
      } catch (e) {
        // Never the body or the signature: only what identifies the delivery and why it was refused.
        if (e instanceof AppError && (e.status === 400 || e.status === 401)) {
          req.log.warn({ status: e.status, reason: e.message, deliveryId: req.headers["x-atlassian-webhook-identifier"], bytes: rawBody.length }, "jira webhook refused");
        }
        throw e;
      }
    },
  );
}
