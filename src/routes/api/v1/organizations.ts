import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { createOrganization } from "../../../commands/organizations/createOrganization.js";
import { listOrganizations } from "../../../db/repositories/admin.js";
import { ZOrganization, ZProblem } from "../../../presenters/schemas.js";
import type { RouteOptions } from "./index.js";

const present = (o: Awaited<ReturnType<typeof listOrganizations>>[number]) => ({ ...o, createdAt: o.createdAt.toISOString() });
const problems = { 400: ZProblem, 401: ZProblem, 403: ZProblem, 409: ZProblem };

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
}
