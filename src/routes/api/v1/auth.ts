import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { login } from "../../../commands/auth/login.js";
import { revokeSession } from "../../../commands/auth/revokeToken.js";
import { actorOf, SESSION_COOKIE } from "../../../http/auth.js";
import { presentUser } from "../../../presenters/presentUser.js";
import { ZProblem, ZUser } from "../../../presenters/schemas.js";
import { findUserByEmail } from "../../../db/repositories/people.js";
import type { RouteOptions } from "./index.js";

export async function authRoutes(fastify: FastifyInstance, { deps }: RouteOptions) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = deps.database;
  const { config } = deps;

  app.post(
    "/auth/login",
    {
      config: { auth: "public", rateLimit: { max: config.LOGIN_RATE_LIMIT, timeWindow: "1 minute" } },
      schema: {
        tags: ["auth"],
        summary: "Sign in; sets an HttpOnly session cookie and returns the same token for Bearer use",
        security: [],
        body: z.strictObject({ email: z.email().max(254), password: z.string().min(1).max(1024) }),
        response: { 200: z.object({ token: z.string(), expiresAt: z.iso.datetime(), user: ZUser }), 400: ZProblem, 401: ZProblem, 429: ZProblem },
      },
    },
    async (req, reply) => {
      const session = await login({ db, email: req.body.email, password: req.body.password, ttlHours: config.SESSION_TTL_HOURS });
      const secure = config.COOKIE_SECURE === "auto" ? req.protocol === "https" : config.COOKIE_SECURE === "true";
      reply.setCookie(SESSION_COOKIE, session.token, {
        httpOnly: true,
        sameSite: "lax",
        secure,
        path: "/",
        expires: session.expiresAt,
      });
      return { token: session.token, expiresAt: session.expiresAt.toISOString(), user: presentUser(session.user) };
    },
  );

  app.post(
    "/auth/logout",
    { schema: { tags: ["auth"], summary: "End this session", response: { 204: z.null(), 401: ZProblem } } },
    async (req, reply) => {
      const header = req.headers.authorization;
      const token = header?.startsWith("Bearer ") ? header.slice(7).trim() : req.cookies[SESSION_COOKIE];
      if (token) {
        await revokeSession(db, token);
      }
      reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return reply.code(204).send(null);
    },
  );

  app.get(
    "/auth/me",
    { schema: { tags: ["auth"], summary: "Who am I", response: { 200: ZUser, 401: ZProblem } } },
    async (req) => {
      const user = await findUserByEmail(db, actorOf(req).email);
      return presentUser(user!);
    },
  );
}
