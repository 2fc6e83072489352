import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { replayTicketClocks } from "../../../../commands/sla/syncTicketSla.js";
import { findTicket } from "../../../../db/repositories/findTicket.js";
import { actorOf } from "../../../../http/auth.js";
import { presentClock } from "../../../../presenters/presentSla.js";
import { ZProblem } from "../../../../presenters/schemas.js";
import type { RouteOptions } from "../index.js";
import { ZTicketParams } from "../schemas.js";

const ZClock = z
  .object({
    metric: z.string(),
    state: z.enum(["running", "paused", "met", "breached"]),
    targetSeconds: z.number(),
    consumedSeconds: z.number(),
    remainingSeconds: z.number(),
    percent: z.number(),
    startedAt: z.iso.datetime(),
    dueAt: z.iso.datetime().nullable(),
    breachedAt: z.iso.datetime().nullable(),
    metAt: z.iso.datetime().nullable(),
    warnedAt: z.record(z.string(), z.string()),
    policy: z.object({ id: z.uuid(), version: z.number().int(), name: z.string() }).nullable(),
    timeline: z.array(z.object({ from: z.string(), to: z.string(), kind: z.string(), seconds: z.number(), label: z.string() })),
  })
  .meta({ id: "SlaClock" });

export async function ticketSlaRoutes(fastify: FastifyInstance, { deps }: RouteOptions) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = deps.database;
  app.get(
    "/tickets/:id/sla",
    {
      config: { auth: "staff" },
      schema: { tags: ["sla"], summary: "Every SLA clock of a ticket, with a human-readable timeline", params: ZTicketParams, response: { 200: z.object({ clocks: z.array(ZClock) }), 401: ZProblem, 403: ZProblem, 404: ZProblem } },
    },
    async (req) => {
      const ticket = await findTicket(db, actorOf(req), req.params.id);
      const now = new Date();
      const { clocks, versions } = await replayTicketClocks(db, ticket.id, now);
      return { clocks: clocks.map((c) => presentClock(c, versions.get(c.policyVersionId), now)) };
    },
  );
}
