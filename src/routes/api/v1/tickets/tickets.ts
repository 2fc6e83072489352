import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { createTicket } from "../../../../commands/tickets/createTicket.js";
import { updateTicket } from "../../../../commands/tickets/updateTicket.js";
import { findTicket } from "../../../../db/repositories/findTicket.js";
import { listTickets, selectTicketRows } from "../../../../db/repositories/listTickets.js";
import { loadThread } from "../../../../db/repositories/thread.js";
import { tickets } from "../../../../db/schema/index.js";
import { eq, inArray } from "drizzle-orm";
import { actorOf } from "../../../../http/auth.js";
import { isStaff, type Actor } from "../../../../policies/actor.js";
import { presentMessage } from "../../../../presenters/presentMessage.js";
import { presentTicket } from "../../../../presenters/presentTicket.js";
import { page, ZProblem, ZTicket, ZTicketDetail } from "../../../../presenters/schemas.js";
import type { Executor } from "../../../../db/client.js";
import type { RouteOptions } from "../index.js";
import { listFilterShape, listFiltersOf } from "./listQuery.js";
import { ZCategory, ZCustomFields, ZDescription, ZLimit, ZPriority, ZStatus, ZSubject, ZTags, ZTicketParams } from "../schemas.js";

const ZListQuery = z.strictObject({
  ...listFilterShape,
  limit: ZLimit,
  cursor: z.string().max(500).optional(),
});

const ZCreateBody = z.strictObject({
  subject: ZSubject,
  description: ZDescription,
  category: ZCategory.optional(),
  priority: ZPriority.optional(),
  email: z.email().max(254).optional().describe("required when not signed in; staff: file on behalf of this person"),
  name: z.string().trim().min(1).max(120).optional(),
  tags: ZTags.optional(),
  customFields: ZCustomFields.optional(),
  assigneeId: z.uuid().nullable().optional(),
  teamId: z.uuid().nullable().optional(),
  source: z.enum(["portal", "api", "internal"]).optional().describe("staff only; default api (portal from the web app)"),
});

const ZPatchBody = z
  .strictObject({
    subject: ZSubject.optional(),
    status: ZStatus.optional(),
    priority: ZPriority.optional(),
    category: ZCategory.optional(),
    assigneeId: z.uuid().nullable().optional(),
    teamId: z.uuid().nullable().optional(),
    tags: ZTags.optional(),
    customFields: ZCustomFields.optional(),
    isEscalated: z.boolean().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), "give at least one field to change");

const problems = { 400: ZProblem, 401: ZProblem, 403: ZProblem, 404: ZProblem, 409: ZProblem, 422: ZProblem };

/** Presents many tickets with one query, keyed by id. */
export async function presentTicketsByIds(db: Executor, actor: Actor, ids: string[]) {
  const rows = ids.length ? await selectTicketRows(db).where(inArray(tickets.id, ids)) : [];
  return new Map(rows.map((r) => [r.ticket.id, presentTicket(r, actor)]));
}

/** The presented ticket with its thread; internal notes are filtered inside loadThread. */
export async function ticketDetail(db: Executor, actor: Actor, ticketId: string) {
  const [row] = await selectTicketRows(db).where(eq(tickets.id, ticketId));
  if (!row) throw new Error("ticket vanished");
  const thread = await loadThread(db, actor, ticketId);
  return { ...presentTicket(row, actor), messages: thread.map(presentMessage) };
}

export async function ticketRoutes(fastify: FastifyInstance, { deps }: RouteOptions) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = deps.database;

  app.get(
    "/tickets",
    {
      schema: { tags: ["tickets"], summary: "List tickets (customers: their own)", querystring: ZListQuery, response: { 200: page(ZTicket), ...problems } },
    },
    async (req) => {
      const actor = actorOf(req);
      const { limit, cursor, ...query } = req.query;
      const result = await listTickets(db, actor, { ...listFiltersOf(query), limit, cursor });
      return { items: result.rows.map((r) => presentTicket(r, actor)), nextCursor: result.nextCursor };
    },
  );

  app.post(
    "/tickets",
    {
      config: {
        auth: "optional",
        rateLimit: { max: deps.config.ANON_TICKET_RATE_LIMIT, timeWindow: "1 hour", allowList: (req) => req.actor !== null },
      },
      schema: {
        tags: ["tickets"],
        summary: "File a ticket (signed in, or anonymously with an email address)",
        body: ZCreateBody,
        response: { 201: z.union([ZTicketDetail, z.object({ number: z.string(), status: ZStatus, message: z.string() })]), ...problems, 429: ZProblem },
      },
    },
    async (req, reply) => {
      const actor = req.actor;
      const { email, name, source, ...fields } = req.body;
      const staff = actor !== null && isStaff(actor);
      const ticket = await createTicket({
        db,
        actor,
        ...fields,
        contact: email && (!actor || staff) ? { email, name } : undefined,
        source: staff && source ? source : actor ? "api" : "portal",
        channel: actor ? "api" : "portal",
      });
      if (!actor) {
        return reply.code(201).send({ number: ticket.number, status: ticket.status, message: `We've received your request as ${ticket.number}.` });
      }
      return reply.code(201).send(await ticketDetail(db, actor, ticket.id));
    },
  );

  app.get(
    "/tickets/:id",
    { schema: { tags: ["tickets"], summary: "A ticket with its thread", params: ZTicketParams, response: { 200: ZTicketDetail, ...problems } } },
    async (req) => {
      const actor = actorOf(req);
      const ticket = await findTicket(db, actor, req.params.id);
      return ticketDetail(db, actor, ticket.id);
    },
  );

  app.patch(
    "/tickets/:id",
    {
      schema: {
        tags: ["tickets"],
        summary: "Change status, priority, assignee, team, tags or fields",
        description: "Illegal status moves answer 409 with `allowed`. `status: open` on a resolved or closed ticket reopens it.",
        params: ZTicketParams,
        body: ZPatchBody,
        response: { 200: ZTicketDetail, ...problems },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const ticket = await updateTicket({ db, actor, ticketRef: req.params.id, change: req.body, channel: "api" });
      return ticketDetail(db, actor, ticket.id);
    },
  );
}
