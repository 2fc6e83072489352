import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { completeJiraAuthorization, startJiraAuthorization } from "../../../commands/jira/jiraAuthorization.js";
import { saveJiraConnection } from "../../../commands/jira/saveJiraConnection.js";
import { testJiraConnection } from "../../../commands/jira/testJiraConnection.js";
import { syncJiraNow } from "../../../commands/jira/syncJiraNow.js";
import { jiraDeployments } from "../../../connectors/jira/config.js";
import { JIRA_SYSTEM } from "../../../connectors/jira/constants.js";
import { jiraSettingsFrom } from "../../../connectors/jira/jiraSettings.js";
import { ZJiraMapping } from "../../../connectors/jira/mapping.js";
import { findConnection } from "../../../db/repositories/connections.js";
import { inboundBacklog } from "../../../db/repositories/inboundEvents.js";
import { notFound } from "../../../errors.js";
import { actorOf } from "../../../http/auth.js";
import { presentJiraConnection, ZJiraConnectionView } from "../../../presenters/presentConnection.js";
import { ZProblem } from "../../../presenters/schemas.js";
import type { RouteOptions } from "./index.js";

const problems = { 400: ZProblem, 401: ZProblem, 403: ZProblem, 404: ZProblem, 409: ZProblem, 422: ZProblem, 503: ZProblem };
const secret = z.string().min(1).max(4000);
const ZAuthBody = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("api_token"), email: z.string().max(320), apiToken: secret.optional() }),
  z.strictObject({ kind: z.literal("pat"), token: secret.optional() }),
  z.strictObject({ kind: z.literal("basic"), username: z.string().max(200), password: secret.optional() }),
  z.strictObject({ kind: z.literal("oauth"), clientId: z.string().max(200), clientSecret: secret.optional() }),
]);
const ZConnectionBody = z
  .strictObject({
    deployment: z.enum(jiraDeployments),
    baseUrl: z.string().max(2000).meta({ description: "The Jira site: https://acme.atlassian.net on Cloud, the base URL (with context path) on Server/DC." }),
    auth: ZAuthBody.meta({ description: "Secrets (apiToken, token, password, clientSecret) are write-only: leave one out to keep the stored value." }),
    projectKey: z.string().max(50),
    issueType: z.string().max(100).optional(),
    webhookSecret: z.string().max(4000).nullable().optional().meta({ description: "Secret of the Jira admin webhook (X-Hub-Signature). Left out: kept; null: removed." }),
    allowPrivateNetwork: z.boolean().optional().meta({ description: "Allow a Server/DC base URL on a private network." }),
    timeoutMs: z.number().int().optional(),
    oauthAuthorizeUrl: z.string().max(2000).optional(),
    apiGatewayUrl: z.string().max(2000).optional(),
    mapping: ZJiraMapping.optional().meta({ description: "Priorities, statuses (by id or category), custom fields, labels, ownership, comments. Left out: kept (or the defaults)." }),
  });
// Settings that parse but cannot work, and a mapping Jira refuses, are 422.
const admin = { auth: "admin" as const, isInvalidBodyUnprocessable: true };

/** The Jira connection (admins): settings and mapping, the test action, and OAuth consent. */
export async function connectionRoutes(fastify: FastifyInstance, { deps }: RouteOptions) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = deps.database;
  const settings = jiraSettingsFrom(deps.config);
  type Present = Parameters<typeof presentJiraConnection>;
  const present = (row: Present[0], report?: Present[3], backlog?: Present[4]) => presentJiraConnection(row, settings.secretKey, settings.publicUrl, report, backlog);

  app.get(
    "/connections/jira",
    { config: admin, schema: { tags: ["connections"], summary: "The Jira connection: settings, mapping, status (never its secrets)", response: { 200: ZJiraConnectionView, ...problems } } },
    async () => {
      const row = await findConnection(db, JIRA_SYSTEM);
      if (!row) throw notFound("Jira connection");
      return present(row, null, await inboundBacklog(db, row.id));
    },
  );

  app.put(
    "/connections/jira",
    {
      config: admin,
      schema: {
        tags: ["connections"],
        summary: "Create or replace the Jira connection; checked against Jira before it is saved",
        body: ZConnectionBody,
        response: { 200: ZJiraConnectionView, ...problems },
      },
    },
    async (req) => {
      const { row, report } = await saveJiraConnection({ db, settings, body: req.body });
      return present(row, report);
    },
  );

  app.post(
    "/connections/jira/test",
    { config: admin, schema: { tags: ["connections"], summary: "Check the stored connection against Jira and say what is wrong, in words", response: { 200: ZJiraConnectionView, ...problems } } },
    async (req) => {
      const { row, report } = await testJiraConnection({ db, settings });
      return present(row, report);
    },
  );

  app.post(
    "/connections/jira/sync",
    {
      config: admin,
      schema: {
        tags: ["connections"],
        summary: "Sync now: queue the reconcile poll and the customer sync at once (202)",
        response: { 202: z.object({ jobs: z.array(z.string()) }), ...problems },
      },
    },
    async (_req, reply) => reply.code(202).send(await syncJiraNow(db)),
  );

  app.get(
    "/connections/jira/authorize",
    { config: admin, schema: { tags: ["connections"], summary: "Start the OAuth consent at Atlassian (redirect)", response: { 302: z.null(), ...problems } } },
    async (req, reply) => {
      const url = await startJiraAuthorization({ db, settings, actor: actorOf(req) });
      return reply.redirect(url, 302);
    },
  );

  app.get(
    "/connections/jira/callback",
    {
      config: admin,
      schema: {
        tags: ["connections"],
        summary: "Atlassian's redirect after consent: stores the tokens (sealed) and activates the connection",
        querystring: z.object({ code: z.string().max(4000).optional(), state: z.string().max(500).optional(), error: z.string().max(200).optional(), error_description: z.string().max(2000).optional() }),
        response: { 200: ZJiraConnectionView, ...problems },
      },
    },
    async (req) => {
      const rawQuery = req.url.includes("?") ? req.url.slice(req.url.indexOf("?") + 1) : "";
      const row = await completeJiraAuthorization({ db, settings, actor: actorOf(req), query: req.query, rawQuery });
      return present(row);
    },
  );
}
