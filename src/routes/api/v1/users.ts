import { secretKeyFor } from "../../../crypto/secretKey.js";
import { accountLinkUrl } from "../../../connectors/email/outbound/sendAccountEmail.js";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { createUser } from "../../../commands/users/createUser.js";
import { updateUser } from "../../../commands/users/updateUser.js";
import { findUser, listUsers } from "../../../db/repositories/admin.js";
import { notFound } from "../../../errors.js";
import { actorOf } from "../../../http/auth.js";
import { presentUser } from "../../../presenters/presentUser.js";
import { page, ZProblem, ZUser } from "../../../presenters/schemas.js";
import type { RouteOptions } from "./index.js";

const ZRole = z.enum(["admin", "agent", "customer"]);
const ZPassword = z.string().min(12, "at least 12 characters").max(256);
const problems = { 400: ZProblem, 401: ZProblem, 403: ZProblem, 404: ZProblem, 409: ZProblem, 422: ZProblem };

export async function userRoutes(fastify: FastifyInstance, { deps }: RouteOptions) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = deps.database;
  const publicUrl = (deps.config.PUBLIC_URL ?? `http://localhost:${deps.config.PORT}`).replace(/\/+$/, "");
  const secretKey = secretKeyFor(deps.config);

  app.get(
    "/users",
    {
      config: { auth: "staff" },
      schema: {
        tags: ["users"],
        summary: "People (agents need this to assign)",
        querystring: z.strictObject({ role: ZRole.optional(), q: z.string().max(100).optional(), cursor: z.uuid().optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }),
        response: { 200: page(ZUser), ...problems },
      },
    },
    async (req) => {
      const result = await listUsers(db, req.query);
      return { items: result.rows.map(presentUser), nextCursor: result.nextCursor };
    },
  );

  app.post(
    "/users",
    {
      config: { auth: "admin" },
      schema: {
        tags: ["users"],
        summary: "Create a person; without a password the answer carries a one-time invitation link",
        body: z.strictObject({
          email: z.email().max(254),
          name: z.string().trim().min(1).max(120),
          role: ZRole,
          password: ZPassword.optional(),
          organizationId: z.uuid().nullable().optional(),
          isOrgManager: z.boolean().optional(),
        }),
        response: { 201: ZUser.extend({ inviteUrl: z.string().nullable() }), ...problems },
      },
    },
    async (req, reply) => {
      const { user, inviteToken } = await createUser({ db, actor: actorOf(req), ...req.body, mailInvite: { secretKey } });
      const inviteUrl = inviteToken ? accountLinkUrl(publicUrl, "invite", inviteToken) : null;
      return reply.code(201).send({ ...presentUser(user), inviteUrl });
    },
  );

  app.get(
    "/users/:userId",
    { config: { auth: "admin" }, schema: { tags: ["users"], params: z.object({ userId: z.uuid() }), response: { 200: ZUser, ...problems } } },
    async (req) => {
      const user = await findUser(db, req.params.userId);
      if (!user) throw notFound("user");
      return presentUser(user);
    },
  );

  app.patch(
    "/users/:userId",
    {
      config: { auth: "admin" },
      schema: {
        tags: ["users"],
        summary: "Change role, name, password or deactivate (revokes their sessions)",
        params: z.object({ userId: z.uuid() }),
        body: z.strictObject({
          name: z.string().trim().min(1).max(120).optional(),
          role: ZRole.optional(),
          isActive: z.boolean().optional(),
          password: ZPassword.optional(),
          organizationId: z.uuid().nullable().optional(),
          isOrgManager: z.boolean().optional(),
        }),
        response: { 200: ZUser, ...problems },
      },
    },
    async (req) => presentUser(await updateUser({ db, actor: actorOf(req), userId: req.params.userId, change: req.body })),
  );
}
