import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { slaCompliance } from "../../../db/repositories/slaStats.js";
import { AppError } from "../../../errors.js";
import { ZProblem } from "../../../presenters/schemas.js";
import type { RouteOptions } from "./index.js";

export async function statsRoutes(fastify: FastifyInstance, { deps }: RouteOptions) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = deps.database;
  app.get(
    "/stats/sla",
    {
      config: { auth: "staff" },
      schema: {
        tags: ["stats"],
        summary: "SLA compliance per metric and priority or team, for tickets created in [from, to)",
        querystring: z.strictObject({
          from: z.iso.datetime({ offset: true }).optional().describe("default: 30 days ago"),
          to: z.iso.datetime({ offset: true }).optional().describe("default: now"),
          groupBy: z.enum(["priority", "team"]).default("priority"),
        }),
        response: {
          200: z.object({
            from: z.iso.datetime(),
            to: z.iso.datetime(),
            items: z.array(z.object({ metric: z.string(), group: z.string().nullable(), total: z.number(), metInTime: z.number(), breached: z.number(), pending: z.number(), compliance: z.number().nullable() })),
          }),
          400: ZProblem,
          401: ZProblem,
          403: ZProblem,
        },
      },
    },
    async (req) => {
      const to = req.query.to ? new Date(req.query.to) : new Date();
      const from = req.query.from ? new Date(req.query.from) : new Date(to.getTime() - 30 * 86_400_000);
      if (from >= to) throw new AppError("VALIDATION_FAILED", "from must be before to", { field: "from" });
      return { from: from.toISOString(), to: to.toISOString(), items: await slaCompliance(db, from, to, req.query.groupBy) };
    },
  );
}
