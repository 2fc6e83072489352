import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { createView } from "../../../commands/views/createView.js";
import { deleteView } from "../../../commands/views/deleteView.js";
import { updateView } from "../../../commands/views/updateView.js";
import { findView, listVisibleViews } from "../../../db/repositories/savedViews.js";
import { actorOf } from "../../../http/auth.js";
import type { Actor } from "../../../policies/actor.js";
import { presentView, ZSavedView } from "../../../presenters/presentView.js";
import { ZProblem } from "../../../presenters/schemas.js";
import type { RouteOptions } from "./index.js";
import { listFilterNames, listFilterShape } from "./tickets/listQuery.js";

const maxFilters = 20;
const filterNames: readonly string[] = listFilterNames;
const ZListValues = z.object(listFilterShape);

/**
 * A view's filters are GET /tickets's query parameters, stored as the strings the desk sends. Each
 * must be one the list takes, with a value the list accepts, so applying a view never fails.
 */
const ZViewFilters = z
  .record(z.string().max(40), z.string().max(500))
  .superRefine((filters, ctx) => {
    const keys = Object.keys(filters);
    if (keys.length > maxFilters) ctx.addIssue({ code: "custom", message: `at most ${maxFilters} filters` });
    const unknown = keys.filter((k) => !filterNames.includes(k));
    for (const key of unknown) ctx.addIssue({ code: "custom", path: [key], message: `not a filter of the ticket list (one of: ${filterNames.join(", ")})` });
    if (unknown.length) return;
    const parsed = ZListValues.safeParse(filters);
    // The path stops at the key: a list value ("open,bogus") is one string here, not an array.
    for (const issue of parsed.error?.issues ?? []) ctx.addIssue({ code: "custom", path: issue.path.slice(0, 1), message: issue.message });
  })
  .meta({ description: `GET /tickets's query parameters: ${listFilterNames.join(", ")}; values as strings.` });

const ZName = z.string().trim().min(1).max(80);
const ZViewRef = z.object({ viewId: z.uuid() });
const problems = { 400: ZProblem, 401: ZProblem, 403: ZProblem, 404: ZProblem, 409: ZProblem };
const staff = { auth: "staff" as const };

/** Saved queue views: private to their owner, or shared with every agent. */
export async function viewRoutes(fastify: FastifyInstance, { deps }: RouteOptions) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = deps.database;
  const presented = async (viewId: string, actor: Actor) => {
    const found = await findView(db, viewId);
    if (!found) throw new Error("saved view vanished");
    return presentView(found, actor);
  };

  app.get(
    "/views",
    { config: staff, schema: { tags: ["views"], summary: "My views and the views others shared, by name", response: { 200: z.object({ items: z.array(ZSavedView) }), ...problems } } },
    async (req) => {
      const actor = actorOf(req);
      return { items: (await listVisibleViews(db, actor)).map((v) => presentView(v, actor)) };
    },
  );

  app.post(
    "/views",
    {
      config: staff,
      schema: {
        tags: ["views"],
        summary: "Save a queue view; 409 when I already have one of this name",
        body: z.strictObject({ name: ZName, filters: ZViewFilters, shared: z.boolean().optional() }),
        response: { 201: ZSavedView, ...problems },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const row = await createView({ db, actor, ...req.body });
      return reply.code(201).send(await presented(row.id, actor));
    },
  );

  app.patch(
    "/views/:viewId",
    {
      config: staff,
      schema: {
        tags: ["views"],
        summary: "Rename, refilter or share my view",
        description: "Someone else's private view answers 404; a view shared by someone else answers 403.",
        params: ZViewRef,
        body: z
          .strictObject({ name: ZName.optional(), filters: ZViewFilters.optional(), shared: z.boolean().optional() })
          .refine((b) => Object.values(b).some((v) => v !== undefined), "give at least one of name, filters, shared"),
        response: { 200: ZSavedView, ...problems },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      await updateView({ db, actor, viewId: req.params.viewId, changes: req.body });
      return presented(req.params.viewId, actor);
    },
  );

  app.delete(
    "/views/:viewId",
    {
      config: staff,
      schema: { tags: ["views"], summary: "Delete my view (admins: any shared view)", params: ZViewRef, response: { 204: z.null(), ...problems } },
    },
    async (req, reply) => {
      await deleteView({ db, actor: actorOf(req), viewId: req.params.viewId });
      return reply.code(204).send(null);
    },
  );
}
