import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { createOrganization } from "../../../commands/organizations/createOrganization.js";
import { updateOrganization } from "../../../commands/organizations/updateOrganization.js";
import { customerLinkStrategies } from "../../../connectors/jira/customers/customerSettings.js";
import { listOrganizations } from "../../../db/repositories/admin.js";
import { ZOrganization, ZProblem } from "../../../presenters/schemas.js";
import type { RouteOptions } from "./index.js";

const present = (o: Awaited<ReturnType<typeof listOrganizations>>[number]) => ({ ...o, createdAt: o.createdAt.toISOString() });
const problems = { 400: ZProblem, 401: ZProblem, 403: ZProblem, 404: ZProblem, 409: ZProblem, 422: ZProblem };

export async function organizationRoutes(fastify: FastifyInstance, { deps }: RouteOptions) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = deps.database;

  app.get(
    "/organizations",
    { config: { auth: "staff" }, schema: { tags: ["organizations"], response: { 200: z.object({ items: z.array(ZOrganization) }), ...problems } } },
    async () => ({ items: (await listOrganizations(db)).map(present) }),
  );
  app.post(
    "/organizations",
    {
      config: { auth: "admin" },
      schema: {
        tags: ["organizations"],
        body: z.strictObject({
          name: z.string().trim().min(1).max(200),
          slug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,59}$/).optional(),
          domain: z.string().max(253).optional(),
        }),
        response: { 201: ZOrganization, ...problems },
      },
    },
    async (req, reply) => reply.code(201).send(present(await createOrganization({ db, ...req.body }))),
  );
  app.patch(
    "/organizations/:organizationId",
    {
      config: { auth: "admin", isInvalidBodyUnprocessable: true },
      schema: {
        tags: ["organizations"],
        summary: "Change an organization: name, domain, its CSM (ownerId), or how Jira finds its issues (jiraMatch)",
        params: z.object({ organizationId: z.uuid() }),
        body: z.strictObject({
          name: z.string().trim().min(1).max(200).optional(),
          domain: z.string().max(253).nullable().optional(),
          ownerId: z.uuid().nullable().optional(),
          jiraMatch: z
            .strictObject({ strategy: z.enum(customerLinkStrategies), value: z.string().trim().min(1).max(2000) })
            .refine((m) => m.strategy === "jql" || m.value.length <= 255, { message: "labels, components and field values are at most 255 characters", path: ["value"] })
            .refine((m) => m.strategy !== "label" || !/\s/.test(m.value), { message: "a Jira label has no spaces", path: ["value"] })
            .nullable()
            .optional(),
        }),
        response: { 200: ZOrganization, ...problems },
      },
    },
    async (req) => present(await updateOrganization({ db, organizationId: req.params.organizationId, patch: req.body })),
  );
}
