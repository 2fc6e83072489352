import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { followExternal, followTicket, unfollow, type SubscriptionRow } from "../../../commands/subscriptions/follow.js";
import { findTicket } from "../../../db/repositories/findTicket.js";
import { listSubscriptions } from "../../../db/repositories/subscriptions.js";
import { actorOf } from "../../../http/auth.js";
import { ZProblem } from "../../../presenters/schemas.js";
import type { RouteOptions } from "./index.js";

const ZNotifyOn = z.enum(["resolved", "updates"]).default("updates");
const ZSubscription = z.object({
  id: z.uuid(),
  ticketId: z.uuid().nullable(),
  ticketNumber: z.string().nullable(),
  jiraKey: z.string().nullable(),
  notifyOn: z.enum(["resolved", "updates"]),
  createdAt: z.iso.datetime(),
});

const present = (row: SubscriptionRow, ticketNumber: string | null) => ({
  id: row.id,
  ticketId: row.ticketId,
  ticketNumber,
  jiraKey: row.externalSystem === "jira" ? row.externalKey : null,
  notifyOn: row.notifyOn as "resolved" | "updates",
  createdAt: row.createdAt.toISOString(),
});

/** "Alert me when…": follow a ticket (anyone who can see it) or a Jira issue key (staff). */
export async function subscriptionRoutes(fastify: FastifyInstance, { deps }: RouteOptions) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = deps.database;

  app.get(
    "/subscriptions",
    { schema: { tags: ["notifications"], summary: "What I follow", response: { 200: z.object({ items: z.array(ZSubscription) }), 401: ZProblem } } },
    async (req) => {
      const rows = await listSubscriptions(db, actorOf(req).id);
      return { items: rows.map((r) => present(r.row, r.number)) };
    },
  );

  app.put(
    "/tickets/:id/follow",
    {
      schema: {
        tags: ["notifications"],
        summary: "Follow a ticket: notified when it is resolved (notifyOn=resolved) or of every status change and reply (updates)",
        params: z.object({ id: z.string().max(100) }),
        body: z.strictObject({ notifyOn: ZNotifyOn }).default({ notifyOn: "updates" }),
        response: { 200: ZSubscription, 400: ZProblem, 401: ZProblem, 404: ZProblem },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const ticket = await findTicket(db, actor, req.params.id);
      return present(await followTicket(db, actor.id, ticket.id, req.body.notifyOn), ticket.number);
    },
  );

  app.delete(
    "/tickets/:id/follow",
    { schema: { tags: ["notifications"], summary: "Stop following a ticket", params: z.object({ id: z.string().max(100) }), response: { 204: z.null(), 401: ZProblem, 404: ZProblem } } },
    async (req, reply) => {
      const actor = actorOf(req);
      const ticket = await findTicket(db, actor, req.params.id);
      await unfollow(db, actor.id, { ticketId: ticket.id });
      return reply.code(204).send(null);
    },
  );

  app.post(
    "/subscriptions",
    {
      config: { auth: "staff" },
      schema: {
        tags: ["notifications"],
        summary: "Follow a Jira issue by key (staff); the Jira connector notifies followers when it syncs a change",
        body: z.strictObject({ jiraKey: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,49}-\d{1,12}$/, "must be a Jira issue key like ABC-123"), notifyOn: ZNotifyOn }),
        response: { 201: ZSubscription, 400: ZProblem, 401: ZProblem, 403: ZProblem },
      },
    },
    async (req, reply) => reply.code(201).send(present(await followExternal(db, actorOf(req).id, "jira", req.body.jiraKey, req.body.notifyOn), null)),
  );

  app.delete(
    "/subscriptions/:subscriptionId",
    { schema: { tags: ["notifications"], summary: "Stop following", params: z.object({ subscriptionId: z.uuid() }), response: { 204: z.null(), 401: ZProblem, 404: ZProblem } } },
    async (req, reply) => {
      await unfollow(db, actorOf(req).id, { id: req.params.subscriptionId });
      return reply.code(204).send(null);
    },
  );
}
