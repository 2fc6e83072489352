import { z } from "zod";
import { ticketPriorities } from "../domain/ticketPriority.js";

/** Response shapes of /api/v1/stats; the dashboard reads its types from here. */

export const ZSlaStats = z
  .object({
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    items: z.array(
      z.object({
        metric: z.string(),
        group: z.string().nullable(),
        total: z.number(),
        metInTime: z.number(),
        breached: z.number(),
        pending: z.number(),
        compliance: z.number().nullable(),
      }),
    ),
  })
  .meta({ id: "SlaStats" });
export type SlaStats = z.infer<typeof ZSlaStats>;

const ZDuration = z.object({
  count: z.number().int(),
  medianMinutes: z.number().nullable(),
  p90Minutes: z.number().nullable(),
  buckets: z.array(z.object({ label: z.string(), count: z.number().int() })),
});
export type DurationStats = z.infer<typeof ZDuration>;

export const ZStatsOverview = z
  .object({
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    perDay: z.array(z.object({ day: z.string().describe("UTC calendar day, YYYY-MM-DD"), created: z.number().int(), resolved: z.number().int() })),
    backlogByPriority: z.array(z.object({ priority: z.enum(ticketPriorities), open: z.number().int() })).describe("tickets not resolved or closed, now"),
    firstResponse: ZDuration.describe("minutes from creation to the first public staff reply, for first replies sent in the range"),
    resolution: ZDuration.describe("minutes from creation to the first move to resolved or closed, for first resolutions in the range"),
    agentLoad: z.array(
      z.object({
        agentId: z.guid(),
        name: z.string(),
        open: z.number().int(),
        inProgress: z.number().int(),
        waitingOnCustomer: z.number().int(),
        resolvedInRange: z.number().int(),
      }),
    ),
  })
  .meta({ id: "StatsOverview" });
export type StatsOverview = z.infer<typeof ZStatsOverview>;
