import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { eq, inArray } from "drizzle-orm";
import { organizations } from "../../../../db/schema/index.js";
import { findConnection, updateConnection } from "../../../../db/repositories/connections.js";
import { findJiraIssue } from "../../../../db/repositories/jiraIssues.js";
import { exposedTickets, issueCustomers, organizationIssues, timeInStatus } from "../../../../db/repositories/customerIssues.js";
import { linkCustomerIssue, unlinkCustomerIssue } from "../../../../commands/jira/linkCustomerIssue.js";
import { jiraRequestProblem } from "../../../../commands/jira/linkJiraIssue.js";
import { linksOfRemote } from "../../../../db/repositories/externalLinks.js";
import { requireJiraRuntime } from "../../../../commands/jira/requireJiraRuntime.js";
import { syncOrganizationIssues } from "../../../../commands/jira/syncOrganizationIssues.js";
import { JIRA_SYSTEM } from "../../../../connectors/jira/constants.js";
import { customerLinkTypes, customerSettingsOf, ZCustomerLinkSettings, ZCustomerLinkSettingsOut } from "../../../../connectors/jira/customers/customerSettings.js";
import { organizationJql } from "../../../../connectors/jira/customers/organizationMatch.js";
import { jiraSettingsFrom } from "../../../../connectors/jira/jiraSettings.js";
import { impactOf } from "../../../../domain/jiraImpact.js";
import { AppError, notFound } from "../../../../errors.js";
import { presentJiraIssue, ZJiraIssueOut } from "../../../../presenters/presentJiraIssue.js";
import { ZProblem } from "../../../../presenters/schemas.js";
import type { RouteOptions } from "../index.js";

const problems = { 400: ZProblem, 401: ZProblem, 403: ZProblem, 404: ZProblem, 409: ZProblem, 422: ZProblem, 503: ZProblem };
const staff = { auth: "staff" as const };
const ZKey = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,49}-\d{1,12}$/, "must be a Jira issue key like ABC-123").transform((k) => k.toUpperCase());
const ZOrgParams = z.object({ organizationId: z.uuid() });
const ZLinkedIssue = ZJiraIssueOut.extend({ linkType: z.string(), strategy: z.string() });
const ZTicketExposure = z.object({ id: z.uuid(), number: z.string(), subject: z.string(), priority: z.string(), status: z.string(), organizationId: z.uuid().nullable(), slaDueAt: z.string().nullable(), sla: z.enum(["ok", "at_risk", "breached"]) });

/**
 * The CSM side of Jira (the CSM requirements): which issues concern an organization, which
 * customers an issue concerns and how badly, the customer-link settings, and links by hand.
 */
export async function jiraCustomerRoutes(fastify: FastifyInstance, { deps }: RouteOptions) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = deps.database;
  const settings = jiraSettingsFrom(deps.config);
  const connectionOrConflict = async () => {
    const row = await findConnection(db, JIRA_SYSTEM);
    if (!row) throw new AppError("CONFLICT", "Jira is not connected; an admin sets it up at PUT /api/v1/connections/jira");
    return row;
  };
  const baseUrlOf = (row: { settings: Record<string, unknown> }) => String(row.settings.baseUrl ?? "");

  app.get(
    "/connections/jira/customers",
    { config: { auth: "admin" }, schema: { tags: ["connections"], summary: "How Jira issues are matched to customers, and the time-in-status limits", response: { 200: ZCustomerLinkSettingsOut, ...problems } } },
    async () => customerSettingsOf((await connectionOrConflict()).settings),
  );

  app.put(
    "/connections/jira/customers",
    {
      config: { auth: "admin", isInvalidBodyUnprocessable: true },
      schema: { tags: ["connections"], summary: "Set how Jira issues are matched to customers, and the time-in-status limits", body: ZCustomerLinkSettings, response: { 200: ZCustomerLinkSettingsOut, ...problems } },
    },
    async (req) => {
      const row = await connectionOrConflict();
      // Not updatedAt: that marks a change of credentials or mapping and renews the cached client.
      await updateConnection(db, row.id, { settings: { ...row.settings, customers: req.body } });
      return req.body;
    },
  );

  app.get(
    "/organizations/:organizationId/jira-issues",
    {
      config: staff,
      schema: {
        tags: ["jira"],
        summary: "The Jira issues linked to an organization, with status, priority, assignee, dates, custom fields and time in status",
        params: ZOrgParams,
        querystring: z.strictObject({ state: z.enum(["open", "done"]).optional(), linkType: z.enum(customerLinkTypes).optional() }),
        response: { 200: z.object({ organizationId: z.uuid(), jql: z.string().nullable(), items: z.array(ZLinkedIssue) }), ...problems },
      },
    },
    async (req) => {
      const [org] = await db.select().from(organizations).where(eq(organizations.id, req.params.organizationId));
      if (!org) throw notFound("organization");
      const row = await findConnection(db, JIRA_SYSTEM);
      const now = new Date();
      const rows = await organizationIssues(db, org.id, req.query);
      return {
        organizationId: org.id,
        jql: row ? organizationJql(org, customerSettingsOf(row.settings)) : null,
        items: rows.map((r) => ({ ...presentJiraIssue(r.issue, row ? baseUrlOf(row) : "", now), linkType: r.linkType, strategy: r.strategy })),
      };
    },
  );

  app.post(
    "/organizations/:organizationId/jira-issues/sync",
    {
      config: staff,
      schema: {
        tags: ["jira"],
        summary: "Sync the organization's Jira issues now (search by its match, store, link, unlink what no longer matches)",
        params: ZOrgParams,
        response: { 200: z.object({ organizationId: z.uuid(), jql: z.string(), issues: z.number(), added: z.number(), linked: z.number(), unlinked: z.number(), ms: z.number() }), ...problems },
      },
    },
    async (req) => {
      const rt = await requireJiraRuntime(db, settings);
      try {
        return await syncOrganizationIssues(db, rt, req.params.organizationId);
      } catch (e) {
        if (e instanceof AppError) throw e;
        throw jiraRequestProblem(e, "the organization's search");
      }
    },
  );

  app.get(
    "/jira/issues/:key",
    {
      config: staff,
      schema: {
        tags: ["jira"],
        summary: "A customer-linked Jira issue: its fields, time in each status, and the organizations linked",
        params: z.object({ key: ZKey }),
        response: {
          200: ZJiraIssueOut.extend({
            timeInStatus: z.array(z.object({ statusId: z.string().nullable(), status: z.string(), statusCategory: z.string().nullable(), seconds: z.number(), visits: z.number() })),
            history: z.array(z.object({ status: z.string(), statusId: z.string().nullable(), enteredAt: z.string(), leftAt: z.string().nullable() })),
            customers: z.array(z.object({ id: z.uuid(), name: z.string(), linkType: z.string(), strategy: z.string() })),
          }),
          ...problems,
        },
      },
    },
    async (req) => {
      const row = await connectionOrConflict();
      const issue = await findJiraIssue(db, row.id, { key: req.params.key });
      if (!issue) throw notFound("linked Jira issue");
      const now = new Date();
      const { periods, totals } = await timeInStatus(db, issue.id, now);
      const customers = await issueCustomers(db, row.id, issue.remoteId);
      return {
        ...presentJiraIssue(issue, baseUrlOf(row), now),
        timeInStatus: totals.map((t) => ({ statusId: t.statusId, status: t.statusName, statusCategory: t.statusCategory, seconds: t.seconds, visits: t.visits })),
        history: periods.map((p) => ({ status: p.statusName, statusId: p.statusId, enteredAt: p.enteredAt.toISOString(), leftAt: p.leftAt?.toISOString() ?? null })),
        customers: customers.map((c) => ({ id: c.id, name: c.name, linkType: c.linkType, strategy: c.strategy })),
      };
    },
  );

  app.get(
    "/jira/issues/:key/affected-customers",
    {
      config: staff,
      schema: {
        tags: ["jira"],
        summary: "The organizations and tickets an issue affects, with an impact score (customers, their open tickets' priorities, SLA exposure)",
        params: z.object({ key: ZKey }),
        response: {
          200: z.object({
            key: z.string(),
            summary: z.string().nullable(),
            status: z.string().nullable(),
            customers: z.array(
              z.object({
                organization: z.object({ id: z.uuid(), name: z.string(), slug: z.string() }),
                csm: z.object({ id: z.uuid(), name: z.string() }).nullable(),
                linkType: z.string().nullable(),
                strategy: z.string().nullable(),
                openTickets: z.array(ZTicketExposure),
              }),
            ),
            tickets: z.array(ZTicketExposure),
            impact: z.object({
              score: z.number(),
              severity: z.enum(["none", "low", "medium", "high", "critical"]),
              customers: z.number(),
              openTickets: z.number(),
              byPriority: z.record(z.string(), z.number()),
              slaAtRisk: z.number(),
              slaBreached: z.number(),
            }),
          }),
          ...problems,
        },
      },
    },
    async (req) => {
      const row = await connectionOrConflict();
      const issue = await findJiraIssue(db, row.id, { key: req.params.key });
      const ticketLinks = issue ? [] : await linksOfRemote(db, row.id, { key: req.params.key });
      const remoteId = issue?.remoteId ?? ticketLinks[0]?.remoteId;
      if (!remoteId) throw notFound("Jira issue linked to a customer or a ticket");
      const linkedOrgs = await issueCustomers(db, row.id, remoteId);
      const tickets = (await exposedTickets(db, row.id, remoteId)).map((t) => ({ ...t, slaDueAt: t.slaDueAt?.toISOString() ?? null }));
      // Organizations reached only through a linked ticket count as affected too.
      const orgIds = new Set(linkedOrgs.map((o) => o.id));
      const viaTickets = [...new Set(tickets.flatMap((t) => (t.organizationId && !orgIds.has(t.organizationId) ? [t.organizationId] : [])))];
      const extra = viaTickets.length > 0 ? await db.select({ id: organizations.id, name: organizations.name, slug: organizations.slug }).from(organizations).where(inArray(organizations.id, viaTickets)) : [];
      const customers = [
        ...linkedOrgs.map((o) => ({ organization: { id: o.id, name: o.name, slug: o.slug }, csm: o.ownerId && o.ownerName ? { id: o.ownerId, name: o.ownerName } : null, linkType: o.linkType, strategy: o.strategy })),
        ...extra.map((o) => ({ organization: o, csm: null, linkType: null, strategy: null })),
      ].map((c) => ({ ...c, openTickets: tickets.filter((t) => t.organizationId === c.organization.id) }));
      return {
        key: issue?.remoteKey ?? req.params.key,
        summary: issue?.summary ?? null,
        status: issue?.statusName ?? ticketLinks[0]?.remoteStatus ?? null,
        customers,
        tickets,
        impact: impactOf({ customers: customers.length, tickets }),
      };
    },
  );

  app.put(
    "/jira/issues/:key/customers/:organizationId",
    {
      config: { ...staff, isInvalidBodyUnprocessable: true },
      schema: {
        tags: ["jira"],
        summary: "Link an organization to an issue by hand (or change the link's type); a sync never removes it",
        params: z.object({ key: ZKey, organizationId: z.uuid() }),
        body: z.strictObject({ linkType: z.enum(customerLinkTypes).default("affected") }),
        response: { 200: ZLinkedIssue, ...problems },
      },
    },
    async (req) => {
      const { issue, link, baseUrl } = await linkCustomerIssue({ db, settings, key: req.params.key, organizationId: req.params.organizationId, linkType: req.body.linkType });
      return { ...presentJiraIssue(issue, baseUrl, new Date()), linkType: link.linkType, strategy: link.strategy };
    },
  );

  app.delete(
    "/jira/issues/:key/customers/:organizationId",
    { config: staff, schema: { tags: ["jira"], summary: "Unlink an organization from an issue", params: z.object({ key: ZKey, organizationId: z.uuid() }), response: { 204: z.null(), ...problems } } },
    async (req, reply) => {
      const row = await connectionOrConflict();
      const issue = await findJiraIssue(db, row.id, { key: req.params.key });
      if (!issue || !(await unlinkCustomerIssue(db, row.id, issue.remoteId, req.params.organizationId))) throw notFound("customer link");
      return reply.code(204).send(null);
    },
  );
}
