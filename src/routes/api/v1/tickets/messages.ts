import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { replyToTicket } from "../../../../commands/tickets/replyToTicket.js";
import { findTicket } from "../../../../db/repositories/findTicket.js";
import { loadThread } from "../../../../db/repositories/thread.js";
import { actorOf } from "../../../../http/auth.js";
import { presentMessage } from "../../../../presenters/presentMessage.js";
import { ZMessage, ZProblem } from "../../../../presenters/schemas.js";
import type { RouteOptions } from "../index.js";
import { ZTicketParams } from "../schemas.js";

const ZReplyBody = z.strictObject({
  body: z.string().trim().min(1).max(10_000),
  internal: z.boolean().default(false).describe("an internal note, never shown to customers (staff only)"),
  attachmentIds: z.array(z.uuid()).max(5).optional().describe("uploads on this ticket to attach"),
});

const problems = { 400: ZProblem, 401: ZProblem, 403: ZProblem, 404: ZProblem, 409: ZProblem, 422: ZProblem };

export async function ticketMessageRoutes(fastify: FastifyInstance, { deps }: RouteOptions) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = deps.database;

  app.get(
    "/tickets/:id/messages",
    { schema: { tags: ["messages"], summary: "The thread, oldest first (customers never see internal notes)", params: ZTicketParams, response: { 200: z.object({ items: z.array(ZMessage) }), ...problems } } },
    async (req) => {
      const actor = actorOf(req);
      const ticket = await findTicket(db, actor, req.params.id);
      return { items: (await loadThread(db, actor, ticket.id)).map(presentMessage) };
    },
  );

  app.post(
    "/tickets/:id/messages",
    { schema: { tags: ["messages"], summary: "Reply publicly or add an internal note", params: ZTicketParams, body: ZReplyBody, response: { 201: ZMessage, ...problems } } },
    async (req, reply) => {
      const actor = actorOf(req);
      const message = await replyToTicket({
        db,
        actor,
        ticketRef: req.params.id,
        body: req.body.body,
        isInternal: req.body.internal,
        attachmentIds: req.body.attachmentIds,
        channel: "api",
      });
      const [presented] = (await loadThread(db, actor, message.ticketId, message.id)).map(presentMessage);
      return reply.code(201).send(presented!);
    },
  );
}
