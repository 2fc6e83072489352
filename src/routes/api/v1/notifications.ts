import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { countUnread, listNotifications, markNotificationRead } from "../../../db/repositories/notifications.js";
import { notFound } from "../../../errors.js";
import { actorOf } from "../../../http/auth.js";
import { ZProblem } from "../../../presenters/schemas.js";
import type { RouteOptions } from "./index.js";

const ZNotification = z.object({
  id: z.uuid(),
  kind: z.string(),
  ticketId: z.uuid().nullable(),
  title: z.string(),
  data: z.record(z.string(), z.unknown()),
  readAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});

export async function notificationRoutes(fastify: FastifyInstance, { deps }: RouteOptions) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = deps.database;
  app.get(
    "/notifications",
    {
      schema: {
        tags: ["notifications"],
        summary: "My notifications, newest first (held ones appear once their delivery time comes)",
        querystring: z.strictObject({ unread: z.enum(["true", "false"]).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }),
        response: { 200: z.object({ items: z.array(ZNotification) }), 400: ZProblem, 401: ZProblem },
      },
    },
    async (req) => {
      const rows = await listNotifications(db, actorOf(req).id, req.query.unread === "true", req.query.limit);
      return { items: rows.map((n) => ({ ...n, readAt: n.readAt?.toISOString() ?? null, createdAt: n.createdAt.toISOString() })) };
    },
  );
  app.get("/notifications/count", { schema: { tags: ["notifications"], response: { 200: z.object({ unread: z.number().int() }), 401: ZProblem } } }, async (req) => ({
    unread: await countUnread(db, actorOf(req).id),
  }));
  app.post(
    "/notifications/:notificationId/read",
    { schema: { tags: ["notifications"], params: z.object({ notificationId: z.uuid() }), response: { 204: z.null(), 401: ZProblem, 404: ZProblem } } },
    async (req, reply) => {
      if (!(await markNotificationRead(db, actorOf(req).id, req.params.notificationId))) throw notFound("notification");
      return reply.code(204).send(null);
    },
  );
}
