import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { agentLoad, backlogByPriority, firstResponseStats, resolutionStats, ticketsPerDay } from "../../../db/repositories/dashboardStats.js";
import { slaCompliance } from "../../../db/repositories/slaStats.js";
import { AppError } from "../../../errors.js";
import { ZSlaStats, ZStatsOverview } from "../../../presenters/presentStats.js";
import { ZProblem } from "../../../presenters/schemas.js";
import type { RouteOptions } from "./index.js";

const dayMs = 86_400_000;
/** A longer range would be a year of daily rows and scans of a year of history on every load. */
const maxRangeDays = 366;

const ZRangeQuery = {
  from: z.iso.datetime({ offset: true }).optional().describe("default: 30 days before `to`"),
  to: z.iso.datetime({ offset: true }).optional().describe("default: now"),
};

/** [from, to) from the query, defaulting to the last 30 days; from must come first. */
function rangeOf(query: { from?: string | undefined; to?: string | undefined }, maxDays?: number) {
  const to = query.to ? new Date(query.to) : new Date();
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * dayMs);
  if (from >= to) throw new AppError("VALIDATION_FAILED", "from must be before to", { field: "from" });
  if (maxDays !== undefined && to.getTime() - from.getTime() > maxDays * dayMs) {
    throw new AppError("VALIDATION_FAILED", `the range may span at most ${maxDays} days`, { field: "from" });
  }
  return { from, to };
}

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
        querystring: z.strictObject({ ...ZRangeQuery, groupBy: z.enum(["priority", "team"]).default("priority") }),
        response: {
          200: ZSlaStats,
          400: ZProblem,
          401: ZProblem,
          403: ZProblem,
        },
      },
    },
    async (req) => {
      const { from, to } = rangeOf(req.query);
      return { from: from.toISOString(), to: to.toISOString(), items: await slaCompliance(db, from, to, req.query.groupBy) };
    },
  );

  app.get(
    "/stats/overview",
    {
      config: { auth: "staff" },
      schema: {
        tags: ["stats"],
        summary: "The dashboard: tickets per day, backlog, first-response and resolution times, agent load",
        description: `Days are UTC calendar days. The range [from, to) may span at most ${maxRangeDays} days. Backlog and the open counts of agent load are as of now.`,
        querystring: z.strictObject(ZRangeQuery),
        response: { 200: ZStatsOverview, 400: ZProblem, 401: ZProblem, 403: ZProblem },
      },
    },
    async (req) => {
      const { from, to } = rangeOf(req.query, maxRangeDays);
      // One after another: PGlite serves one query at a time anyway, and a pool stays free for others.
      const perDay = await ticketsPerDay(db, from, to);
      const backlog = await backlogByPriority(db);
      const firstResponse = await firstResponseStats(db, from, to);
      const resolution = await resolutionStats(db, from, to);
      const load = await agentLoad(db, from, to);
      return { from: from.toISOString(), to: to.toISOString(), perDay, backlogByPriority: backlog, firstResponse, resolution, agentLoad: load };
    },
  );
}
