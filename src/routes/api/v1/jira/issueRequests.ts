import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { desc, eq } from "drizzle-orm";
import { jiraIssueRequests } from "../../../../db/schema/index.js";
import { draftCustomerIssue } from "../../../../commands/jira/requests/draftCustomerIssue.js";
import { requestCustomerIssue } from "../../../../commands/jira/requests/requestCustomerIssue.js";
import { decideCustomerIssueRequest } from "../../../../commands/jira/requests/decideCustomerIssueRequest.js";
import { customerLinkTypes } from "../../../../connectors/jira/customers/customerSettings.js";
import { actorOf } from "../../../../http/auth.js";
import { presentIssueRequest, ZIssueRequestOut } from "../../../../presenters/presentJiraIssue.js";
import { ZProblem } from "../../../../presenters/schemas.js";
import type { RouteOptions } from "../index.js";

const problems = { 400: ZProblem, 401: ZProblem, 403: ZProblem, 404: ZProblem, 409: ZProblem, 422: ZProblem };
const staff = { auth: "staff" as const };
const ZRequestParams = z.object({ requestId: z.uuid() });

/** Jira issues asked for from a customer context, and an admin's approval (the CSM requirements' FR-4). */
export async function jiraIssueRequestRoutes(fastify: FastifyInstance, { deps }: RouteOptions) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = deps.database;

  app.get(
    "/jira/issues/draft",
    {
      config: staff,
      schema: {
        tags: ["jira"],
        summary: "The customer context a new issue starts from: organization, CSM, contacts, open tickets, and the description context that would be sent",
        querystring: z.strictObject({ organizationId: z.uuid() }),
        response: {
          200: z.object({
            organization: z.object({ id: z.uuid(), name: z.string(), slug: z.string(), domain: z.string().nullable() }),
            csm: z.object({ id: z.uuid(), name: z.string() }).nullable(),
            contacts: z.array(z.object({ id: z.uuid(), name: z.string(), email: z.string() })),
            openTickets: z.array(z.object({ id: z.uuid(), number: z.string(), subject: z.string(), priority: z.string(), status: z.string() })),
            descriptionContext: z.string(),
          }),
          ...problems,
        },
      },
    },
    async (req) => draftCustomerIssue(db, req.query.organizationId),
  );

  app.post(
    "/jira/issues",
    {
      config: { ...staff, isInvalidBodyUnprocessable: true },
      schema: {
        tags: ["jira"],
        summary: "Ask for a Jira issue for a customer. Nothing is sent to Jira until an admin approves the request",
        body: z.strictObject({
          organizationId: z.uuid(),
          summary: z.string().trim().min(5).max(255),
          description: z.string().max(20_000).optional(),
          issueType: z.string().trim().min(1).max(60).optional(),
          priority: z.string().trim().min(1).max(60).optional(),
          linkType: z.enum(customerLinkTypes).optional(),
          ticketIds: z.array(z.uuid()).max(50).optional(),
        }),
        response: { 202: ZIssueRequestOut, ...problems },
      },
    },
    async (req, reply) => reply.code(202).send(presentIssueRequest(await requestCustomerIssue({ db, actor: actorOf(req), input: req.body }))),
  );

  app.get(
    "/jira/issue-requests",
    {
      config: staff,
      schema: {
        tags: ["jira"],
        summary: "Jira issue requests, newest first",
        querystring: z.strictObject({ status: z.enum(["pending", "approved", "rejected", "created", "failed"]).optional() }),
        response: { 200: z.object({ items: z.array(ZIssueRequestOut) }), ...problems },
      },
    },
    async (req) => {
      const rows = await db
        .select()
        .from(jiraIssueRequests)
        .where(req.query.status ? eq(jiraIssueRequests.status, req.query.status) : undefined)
        .orderBy(desc(jiraIssueRequests.createdAt))
        .limit(200);
      return { items: rows.map(presentIssueRequest) };
    },
  );

  for (const decision of ["approve", "reject"] as const) {
    app.post(
      `/jira/issue-requests/:requestId/${decision}`,
      {
        config: { auth: "admin", isInvalidBodyUnprocessable: true },
        schema: {
          tags: ["jira"],
          summary: decision === "approve" ? "Approve a request: the issue is created in Jira in the background" : "Reject a request, with the reason the requester will read",
          params: ZRequestParams,
          body: decision === "approve" ? z.strictObject({ note: z.string().trim().max(2000).optional() }).default({}) : z.strictObject({ note: z.string().trim().min(1).max(2000) }),
          response: { 200: ZIssueRequestOut, ...problems },
        },
      },
      async (req) => presentIssueRequest(await decideCustomerIssueRequest({ db, actor: actorOf(req), requestId: req.params.requestId, decision, note: req.body.note })),
    );
  }
}
