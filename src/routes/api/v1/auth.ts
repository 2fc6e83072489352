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
import { requestAccountLink } from "../../../commands/auth/requestAccountLink.js";
import { setPasswordWithToken, signInWithMagicLink } from "../../../commands/auth/redeemAccountToken.js";
import { secretKeyFor } from "../../../crypto/secretKey.js";
import type { FastifyReply, FastifyRequest } from "fastify";

export async function authRoutes(fastify: FastifyInstance, { deps }: RouteOptions) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = deps.database;
  const { config } = deps;
  const secretKey = secretKeyFor(config);
  const linkRateLimit = { max: config.LOGIN_RATE_LIMIT, timeWindow: "1 minute" };
  const ZSession = z.object({ token: z.string(), expiresAt: z.iso.datetime(), user: ZUser });

  function startSession(req: FastifyRequest, reply: FastifyReply, session: { token: string; expiresAt: Date; user: Parameters<typeof presentUser>[0] }) {
    const secure = config.COOKIE_SECURE === "auto" ? req.protocol === "https" : config.COOKIE_SECURE === "true";
    reply.setCookie(SESSION_COOKIE, session.token, { httpOnly: true, sameSite: "lax", secure, path: "/", expires: session.expiresAt });
    return { token: session.token, expiresAt: session.expiresAt.toISOString(), user: presentUser(session.user) };
  }

  for (const [path, kind, summary] of [
    ["/auth/password-reset", "password_reset", "Mail a password-reset link (valid 1 hour). Answers 202 whether or not the address has an account"],
    ["/auth/magic-link", "magic_link", "Mail a one-time sign-in link (valid 15 minutes). Answers 202 whether or not the address has an account"],
  ] as const) {
    app.post(
      path,
      {
        config: { auth: "public", rateLimit: linkRateLimit },
        schema: {
          tags: ["auth"],
          summary,
          security: [],
          body: z.strictObject({ email: z.email().max(254) }),
          response: { 202: z.object({ accepted: z.literal(true) }), 400: ZProblem, 429: ZProblem },
        },
      },
      async (req, reply) => {
        await requestAccountLink({ db, email: req.body.email, kind, secretKey });
        return reply.code(202).send({ accepted: true });
      },
    );
  }

  app.post(
    "/auth/password-reset/confirm",
    {
      config: { auth: "public", rateLimit: linkRateLimit },
      schema: {
        tags: ["auth"],
        summary: "Set a password with a password-reset or invitation token; ends the person's other sessions",
        security: [],
        body: z.strictObject({ token: z.string().min(10).max(200), password: z.string().min(12, "must be at least 12 characters").max(1024) }),
        response: { 204: z.null(), 400: ZProblem, 429: ZProblem },
      },
    },
    async (req, reply) => {
      await setPasswordWithToken({ db, token: req.body.token, password: req.body.password });
      return reply.code(204).send(null);
    },
  );

  app.post(
    "/auth/magic-link/redeem",
    {
      config: { auth: "public", rateLimit: linkRateLimit },
      schema: {
        tags: ["auth"],
        summary: "Sign in with a magic-link token; sets the session cookie like a password login",
        security: [],
        body: z.strictObject({ token: z.string().min(10).max(200) }),
        response: { 200: ZSession, 400: ZProblem, 429: ZProblem },
      },
    },
    async (req, reply) => startSession(req, reply, await signInWithMagicLink({ db, token: req.body.token, ttlHours: config.SESSION_TTL_HOURS })),
  );

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
      return startSession(req, reply, session);
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
