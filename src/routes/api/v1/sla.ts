import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { saveCalendar } from "../../../commands/sla/saveCalendar.js";
import { savePolicy } from "../../../commands/sla/savePolicy.js";
import { runSlaSweep } from "../../../commands/sla/runSlaSweep.js";
import { findCalendar } from "../../../db/repositories/slaConfig.js";
import { listCalendars, listPolicies } from "../../../db/repositories/slaAdmin.js";
import { addBusinessTimeWithPauses, businessSecondsBetweenWithPauses } from "../../../domain/sla/businessTime.js";
import { ZCalendar, type Calendar } from "../../../domain/sla/calendar.js";
import { ZPolicyDefinition } from "../../../domain/sla/policy.js";
import { holidaysForCountry, holidaysFromIcs } from "../../../domain/sla/holidaySources.js";
import { fetchText } from "../../../net/fetchText.js";
import { IANAZone } from "luxon";
import { AppError, notFound } from "../../../errors.js";
import { actorOf } from "../../../http/auth.js";
import { ZProblem } from "../../../presenters/schemas.js";
import type { RouteOptions } from "./index.js";

const TEN_YEARS_MS = 3653 * 86_400_000;
const problems = { 400: ZProblem, 401: ZProblem, 403: ZProblem, 404: ZProblem, 409: ZProblem, 422: ZProblem };
const ZApply = z.enum(["new_tickets", "rebaseline_open"]).default("new_tickets").describe("which tickets an edit reaches");
const iso = (d: Date) => d.toISOString();

const ZCalendarOut = z.object({ id: z.uuid(), name: z.string(), isDefault: z.boolean(), definition: z.unknown(), updatedAt: z.iso.datetime() });
const presentCalendar = (c: Awaited<ReturnType<typeof listCalendars>>[number]) => ({ ...c, updatedAt: iso(c.updatedAt), createdAt: undefined });
const ZPolicyOut = z.object({ id: z.uuid(), version: z.number().int(), definition: z.unknown(), createdAt: z.iso.datetime() });
const presentPolicy = (r: Awaited<ReturnType<typeof listPolicies>>[number]) => ({
  id: r.policy.id,
  version: r.version.version,
  definition: r.version.definition,
  createdAt: iso(r.version.createdAt),
});

const ZPreview = z
  .strictObject({
    calendarId: z.uuid().optional(),
    calendar: ZCalendar.optional(),
    start: z.iso.datetime({ offset: true }),
    pauses: z.array(z.strictObject({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) })).max(1000).default([]),
    seconds: z.number().int().min(0).max(10 * 366 * 86_400).optional(),
    end: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((b) => (b.calendarId === undefined) !== (b.calendar === undefined), "give exactly one of calendarId and calendar")
  .refine((b) => (b.seconds === undefined) !== (b.end === undefined), "give exactly one of seconds and end");

export async function slaRoutes(fastify: FastifyInstance, { deps }: RouteOptions) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = deps.database;
  const admin = { auth: "admin" as const, isInvalidBodyUnprocessable: true };

  app.get("/sla/calendars", { config: { auth: "staff" }, schema: { tags: ["sla"], response: { 200: z.object({ items: z.array(ZCalendarOut) }), ...problems } } }, async () => ({
    items: (await listCalendars(db)).map(presentCalendar),
  }));

  app.post(
    "/sla/calendars",
    { config: admin, schema: { tags: ["sla"], summary: "Create a business calendar (invalid: 422 naming the field)", body: ZCalendar.and(z.object({ isDefault: z.boolean().optional() })), response: { 201: ZCalendarOut, ...problems } } },
    async (req, reply) => {
      const { isDefault, ...input } = req.body;
      return reply.code(201).send(presentCalendar(await saveCalendar({ db, actor: actorOf(req), input, isDefault })));
    },
  );

  app.put(
    "/sla/calendars/:calendarId",
    {
      config: admin,
      schema: {
        tags: ["sla"],
        summary: "Replace a calendar; policies using it get a new version (apply=new_tickets|rebaseline_open)",
        params: z.object({ calendarId: z.uuid() }),
        querystring: z.object({ apply: ZApply }),
        body: ZCalendar.and(z.object({ isDefault: z.boolean().optional() })),
        response: { 200: ZCalendarOut, ...problems },
      },
    },
    async (req) => {
      const { isDefault, ...input } = req.body;
      return presentCalendar(await saveCalendar({ db, actor: actorOf(req), calendarId: req.params.calendarId, input, isDefault, apply: req.query.apply }));
    },
  );

  app.post(
    "/sla/calendars/preview",
    {
      config: { auth: "staff", isInvalidBodyUnprocessable: true },
      schema: {
        tags: ["sla"],
        summary: "Business-time arithmetic on a stored or inline calendar: `seconds` → { due }, `end` → { businessSeconds }",
        body: ZPreview,
        response: { 200: z.object({ due: z.iso.datetime().optional(), businessSeconds: z.number().int().optional() }), ...problems },
      },
    },
    async (req) => {
      const body = req.body;
      let calendar: Calendar;
      if (body.calendar) calendar = body.calendar;
      else {
        const row = await findCalendar(db, body.calendarId!);
        if (!row) throw notFound("calendar");
        calendar = row.definition;
      }
      const start = new Date(body.start);
      const pauses = body.pauses.map((p) => ({ from: new Date(p.from), to: new Date(p.to) }));
      if (pauses.some((p) => p.to < p.from)) throw new AppError("UNPROCESSABLE", "a pause ends before it starts", { field: "pauses" });
      if (body.seconds !== undefined) {
        try {
          return { due: iso(addBusinessTimeWithPauses(start, body.seconds, pauses, calendar)) };
        } catch (e) {
          if (e instanceof RangeError) throw new AppError("UNPROCESSABLE", e.message, { field: "seconds" });
          throw e;
        }
      }
      const end = new Date(body.end!);
      if (end.getTime() - start.getTime() > TEN_YEARS_MS) throw new AppError("UNPROCESSABLE", "a preview spans at most 10 years", { field: "end" });
      return { businessSeconds: businessSecondsBetweenWithPauses(start, end, pauses, calendar) };
    },
  );

  app.post(
    "/sla/holidays",
    {
      config: { auth: "admin", isInvalidBodyUnprocessable: true },
      schema: {
        tags: ["sla"],
        summary: "Generate holidays for a country/region, or import them from an iCal file or URL; save them with the calendar",
        body: z.discriminatedUnion("source", [
          z.strictObject({ source: z.literal("country"), country: z.string().length(2), region: z.string().max(10).optional(), years: z.array(z.number().int().min(1970).max(2100)).min(1).max(10) }),
          z.strictObject({ source: z.literal("ical"), timezone: z.string().min(1), ics: z.string().max(1_000_000).optional(), url: z.string().max(2000).optional() }),
        ]),
        response: { 200: z.object({ holidays: z.array(z.object({ date: z.string(), name: z.string().optional(), from: z.string().optional(), to: z.string().optional() })) }), ...problems },
      },
    },
    async (req) => {
      const body = req.body;
      if (body.source === "country") {
        const holidays = holidaysForCountry(body.country, body.region, body.years);
        if (!holidays) throw new AppError("UNPROCESSABLE", `no holiday data for ${body.country}${body.region ? `-${body.region}` : ""}`, { field: "country" });
        return { holidays };
      }
      if (!IANAZone.isValidZone(body.timezone)) throw new AppError("UNPROCESSABLE", "unknown IANA time zone", { field: "timezone" });
      if ((body.ics === undefined) === (body.url === undefined)) throw new AppError("UNPROCESSABLE", "give exactly one of ics and url", { field: "ics" });
      const ics = body.ics ?? (await fetchText(body.url!, { allowPrivate: deps.config.ALLOW_PRIVATE_WEBHOOK_TARGETS, field: "url", maxBytes: 1_000_000, timeoutMs: 10_000 }));
      try {
        return { holidays: holidaysFromIcs(ics, body.timezone) };
      } catch (e) {
        throw new AppError("UNPROCESSABLE", `not an iCalendar file: ${e instanceof Error ? e.message : String(e)}`, { field: body.ics ? "ics" : "url" });
      }
    },
  );

  app.get("/sla/policies", { config: { auth: "staff" }, schema: { tags: ["sla"], response: { 200: z.object({ items: z.array(ZPolicyOut) }), ...problems } } }, async () => ({
    items: (await listPolicies(db)).map(presentPolicy),
  }));

  app.post(
    "/sla/policies",
    { config: admin, schema: { tags: ["sla"], summary: "Create a policy", body: ZPolicyDefinition, response: { 201: ZPolicyOut, ...problems } } },
    async (req, reply) => {
      const { version } = await savePolicy({ db, actor: actorOf(req), definition: req.body });
      const [row] = await listPolicies(db, version.policyId);
      return reply.code(201).send(presentPolicy(row!));
    },
  );

  app.put(
    "/sla/policies/:policyId",
    {
      config: admin,
      schema: {
        tags: ["sla"],
        summary: "Save a new version of a policy; apply=rebaseline_open moves open tickets to it, keeping the business time used",
        params: z.object({ policyId: z.uuid() }),
        querystring: z.object({ apply: ZApply }),
        body: ZPolicyDefinition,
        response: { 200: ZPolicyOut.extend({ rebaselined: z.number().int() }), ...problems },
      },
    },
    async (req) => {
      const { rebaselined } = await savePolicy({ db, actor: actorOf(req), policyId: req.params.policyId, definition: req.body, apply: req.query.apply });
      const [row] = await listPolicies(db, req.params.policyId);
      return { ...presentPolicy(row!), rebaselined };
    },
  );

  app.post(
    "/sla/check",
    {
      config: { auth: "admin" },
      schema: {
        tags: ["sla"],
        summary: "Run the SLA sweep now; returns what it warned about and escalated",
        response: { 200: z.object({ actions: z.array(z.object({ ticketId: z.uuid(), number: z.string(), metric: z.string(), kind: z.enum(["warning", "breach"]), threshold: z.number().optional() })) }), ...problems },
      },
    },
    async () => ({ actions: await runSlaSweep(db) }),
  );
}
