import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { bulkUpdateTickets } from "../../../../commands/tickets/bulkUpdateTickets.js";
import { mergeTickets } from "../../../../commands/tickets/mergeTickets.js";
import { findTicket } from "../../../../db/repositories/findTicket.js";
import { loadEvents } from "../../../../db/repositories/thread.js";
import { actorOf } from "../../../../http/auth.js";
import { ZProblem, ZTicket, ZTicketEvent } from "../../../../presenters/schemas.js";
import type { RouteOptions } from "../index.js";
import { presentTicketsByIds } from "./tickets.js";
import { ZPriority, ZStatus, ZTags, ZTicketParams } from "../schemas.js";

const problems = { 400: ZProblem, 401: ZProblem, 403: ZProblem, 404: ZProblem, 409: ZProblem, 422: ZProblem };

const ZBulkBody = z.strictObject({
  ids: z.array(z.string().min(1).max(64)).min(1).max(200).describe("ticket ids or numbers"),
  changes: z
    .strictObject({
      status: ZStatus.optional(),
      priority: ZPriority.optional(),
      assigneeId: z.uuid().nullable().optional(),
      teamId: z.uuid().nullable().optional(),
      addTags: ZTags.optional(),
      removeTags: ZTags.optional(),
      isEscalated: z.boolean().optional(),
    })
    .refine((c) => Object.values(c).some((v) => v !== undefined), "give at least one change"),
});

const ZBulkResult = z.object({
  results: z.array(
    z.object({
      id: z.string(),
      ok: z.boolean(),
      ticket: ZTicket.optional(),
      error: z.object({ code: z.string(), status: z.number().int(), detail: z.string() }).catchall(z.unknown()).optional(),
    }),
  ),
});

export async function ticketActionRoutes(fastify: FastifyInstance, { deps }: RouteOptions) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = deps.database;

  app.get(
    "/tickets/:id/events",
    { schema: { tags: ["tickets"], summary: "History of every change (customers: status history only)", params: ZTicketParams, response: { 200: z.object({ items: z.array(ZTicketEvent) }), ...problems } } },
    async (req) => {
      const actor = actorOf(req);
      const ticket = await findTicket(db, actor, req.params.id);
      const events = await loadEvents(db, actor, ticket.id);
      return {
        items: events.map(({ event, actor: who }) => ({
          id: event.id,
          type: event.type,
          field: event.field,
          from: event.fromValue,
          to: event.toValue,
          actor: who,
          channel: event.channel,
          createdAt: event.createdAt.toISOString(),
        })),
      };
    },
  );

  app.post(
    "/tickets/:id/merge",
    {
      config: { auth: "staff" },
      schema: {
        tags: ["tickets"],
        summary: "Merge this ticket into another",
        params: ZTicketParams,
        body: z.strictObject({ into: z.string().min(1).max(64).describe("target ticket id or number") }),
        response: { 200: z.object({ source: ZTicket, target: ZTicket }), ...problems },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const { source, target } = await mergeTickets({ db, actor, sourceRef: req.params.id, targetRef: req.body.into, channel: "api" });
      const presented = await presentTicketsByIds(db, actor, [source.id, target.id]);
      return { source: presented.get(source.id)!, target: presented.get(target.id)! };
    },
  );

  app.post(
    "/tickets/bulk",
    {
      config: { auth: "staff" },
      schema: {
        tags: ["tickets"],
        summary: "Apply one change to many tickets, with a result per ticket",
        body: ZBulkBody,
        response: { 200: ZBulkResult, ...problems },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const results = await bulkUpdateTickets({ db, actor, refs: req.body.ids, change: req.body.changes, channel: "api" });
      const presented = await presentTicketsByIds(db, actor, results.flatMap((r) => (r.ok ? [r.ticket.id] : [])));
      return {
        results: results.map((r) =>
          r.ok
            ? { id: r.ref, ok: true, ticket: presented.get(r.ticket.id)! }
            : { id: r.ref, ok: false, error: { code: r.error.code, status: r.error.status, detail: r.error.message, ...r.error.extra } },
        ),
      };
    },
  );
}
