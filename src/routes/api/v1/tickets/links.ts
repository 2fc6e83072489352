import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { escalateToJira } from "../../../../commands/jira/escalateToJira.js";
import { linkJiraIssue } from "../../../../commands/jira/linkJiraIssue.js";
import { removeTicketLink } from "../../../../commands/jira/removeTicketLink.js";
import { jiraSettingsFrom } from "../../../../connectors/jira/jiraSettings.js";
import { listTicketLinks } from "../../../../db/repositories/externalLinks.js";
import { findTicket } from "../../../../db/repositories/findTicket.js";
import { actorOf } from "../../../../http/auth.js";
import { presentExternalLink, ZExternalLink } from "../../../../presenters/presentExternalLink.js";
import { ZProblem } from "../../../../presenters/schemas.js";
import type { RouteOptions } from "../index.js";
import { ZTicketParams } from "../schemas.js";

const problems = { 400: ZProblem, 401: ZProblem, 403: ZProblem, 404: ZProblem, 409: ZProblem, 422: ZProblem, 503: ZProblem };
const staff = { auth: "staff" as const };

/** A ticket's links to other systems, and escalating or linking it to Jira (staff only). */
export async function ticketLinkRoutes(fastify: FastifyInstance, { deps }: RouteOptions) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = deps.database;
  const settings = jiraSettingsFrom(deps.config);

  app.get(
    "/tickets/:id/links",
    { config: staff, schema: { tags: ["tickets"], summary: "The ticket's links to other systems (Jira issues…), with their sync state", params: ZTicketParams, response: { 200: z.object({ items: z.array(ZExternalLink) }), ...problems } } },
    async (req) => {
      const ticket = await findTicket(db, actorOf(req), req.params.id);
      return { items: (await listTicketLinks(db, ticket.id)).map(presentExternalLink) };
    },
  );

  app.post(
    "/tickets/:id/jira",
    {
      config: staff,
      schema: {
        tags: ["tickets"],
        summary: "Escalate to Jira: a Jira issue is created from the ticket in the background",
        params: ZTicketParams,
        response: { 202: z.object({ ticketId: z.uuid(), jobId: z.string().nullable(), status: z.literal("queued") }), ...problems },
      },
    },
    async (req, reply) => {
      const result = await escalateToJira({ db, actor: actorOf(req), ticketRef: req.params.id, channel: "api" });
      return reply.code(202).send({ ...result, status: "queued" as const });
    },
  );

  app.post(
    "/tickets/:id/jira/link",
    {
      config: { ...staff, isInvalidBodyUnprocessable: true },
      schema: {
        tags: ["tickets"],
        summary: "Link the ticket to an existing Jira issue (many tickets may share one)",
        params: ZTicketParams,
        body: z.strictObject({ key: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,49}-\d{1,12}$/, "must be a Jira issue key like ABC-123") }),
        response: { 201: ZExternalLink, ...problems },
      },
    },
    async (req, reply) => {
      const link = await linkJiraIssue({ db, settings, actor: actorOf(req), ticketRef: req.params.id, key: req.body.key.toUpperCase(), channel: "api" });
      // Linking needs an active connection, so that is its status.
      return reply.code(201).send(presentExternalLink({ link, system: "jira", connectionStatus: "active" }));
    },
  );

  app.delete(
    "/tickets/:id/links/:linkId",
    { config: staff, schema: { tags: ["tickets"], summary: "Remove a link (the remote object stays)", params: ZTicketParams.extend({ linkId: z.uuid() }), response: { 204: z.null(), ...problems } } },
    async (req, reply) => {
      await removeTicketLink({ db, actor: actorOf(req), ticketRef: req.params.id, linkId: req.params.linkId, channel: "api" });
      return reply.code(204).send(null);
    },
  );
}
