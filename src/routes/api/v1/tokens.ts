import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { createApiToken } from "../../../commands/auth/createApiToken.js";
import { revokeApiToken } from "../../../commands/auth/revokeToken.js";
import { listApiTokens } from "../../../db/repositories/admin.js";
import { notFound } from "../../../errors.js";
import { actorOf } from "../../../http/auth.js";
import { ZProblem } from "../../../presenters/schemas.js";
import type { RouteOptions } from "./index.js";

const ZTokenInfo = z.object({
  id: z.uuid(),
  name: z.string(),
  userId: z.uuid(),
  userName: z.string(),
  lastUsedAt: z.iso.datetime().nullable(),
  expiresAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
const iso = (d: Date | null) => (d ? d.toISOString() : null);
const problems = { 400: ZProblem, 401: ZProblem, 403: ZProblem, 404: ZProblem, 422: ZProblem };

export async function tokenRoutes(fastify: FastifyInstance, { deps }: RouteOptions) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = deps.database;

  app.get(
    "/tokens",
    { config: { auth: "admin" }, schema: { tags: ["tokens"], summary: "API tokens (never the secret)", response: { 200: z.object({ items: z.array(ZTokenInfo) }), ...problems } } },
    async () => ({
      items: (await listApiTokens(db)).map((t) => ({ ...t, lastUsedAt: iso(t.lastUsedAt), expiresAt: iso(t.expiresAt), revokedAt: iso(t.revokedAt), createdAt: t.createdAt.toISOString() })),
    }),
  );

  app.post(
    "/tokens",
    {
      config: { auth: "admin" },
      schema: {
        tags: ["tokens"],
        summary: "Mint an API token; the secret is in this answer only",
        body: z.strictObject({ name: z.string().trim().min(1).max(100), userId: z.uuid().optional(), expiresAt: z.iso.datetime({ offset: true }).optional() }),
        response: { 201: z.object({ id: z.uuid(), name: z.string(), token: z.string(), userId: z.uuid(), expiresAt: z.iso.datetime().nullable() }), ...problems },
      },
    },
    async (req, reply) => {
      const { token, row } = await createApiToken({
        db,
        actor: actorOf(req),
        name: req.body.name,
        userId: req.body.userId,
        expiresAt: req.body.expiresAt ? new Date(req.body.expiresAt) : undefined,
      });
      return reply.code(201).send({ id: row.id, name: row.name, token, userId: row.userId, expiresAt: iso(row.expiresAt) });
    },
  );

  app.delete(
    "/tokens/:tokenId",
    { config: { auth: "admin" }, schema: { tags: ["tokens"], params: z.object({ tokenId: z.uuid() }), response: { 204: z.null(), ...problems } } },
    async (req, reply) => {
      if (!(await revokeApiToken(db, req.params.tokenId))) throw notFound("token");
      return reply.code(204).send(null);
    },
  );
}
