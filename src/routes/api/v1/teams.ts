import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { saveTeam } from "../../../commands/teams/saveTeam.js";
import { listTeams } from "../../../db/repositories/admin.js";
import { ZProblem, ZTeam } from "../../../presenters/schemas.js";
import type { RouteOptions } from "./index.js";

const ZTeamBody = z.strictObject({
  name: z.string().trim().min(1).max(80).optional(),
  description: z.string().max(500).optional(),
  members: z.array(z.strictObject({ userId: z.uuid(), isLead: z.boolean().optional() })).max(500).optional(),
});
const problems = { 400: ZProblem, 401: ZProblem, 403: ZProblem, 404: ZProblem, 409: ZProblem, 422: ZProblem };

export async function teamRoutes(fastify: FastifyInstance, { deps }: RouteOptions) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = deps.database;
  const one = async (id: string) => (await listTeams(db, [id]))[0]!;

  app.get(
    "/teams",
    { config: { auth: "staff" }, schema: { tags: ["teams"], response: { 200: z.object({ items: z.array(ZTeam) }), ...problems } } },
    async () => ({ items: await listTeams(db) }),
  );
  app.post(
    "/teams",
    { config: { auth: "admin" }, schema: { tags: ["teams"], body: ZTeamBody, response: { 201: ZTeam, ...problems } } },
    async (req, reply) => reply.code(201).send(await one(await saveTeam({ db, input: req.body }))),
  );
  app.patch(
    "/teams/:teamId",
    { config: { auth: "admin" }, schema: { tags: ["teams"], params: z.object({ teamId: z.uuid() }), body: ZTeamBody, response: { 200: ZTeam, ...problems } } },
    async (req) => one(await saveTeam({ db, teamId: req.params.teamId, input: req.body })),
  );
}
