import type { FastifyInstance, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { authenticate } from "../commands/auth/authenticate.js";
import type { Db } from "../db/client.js";
import { AppError } from "../errors.js";
import { isAdmin, isStaff, type Actor } from "../policies/actor.js";

/**
 * Who may call a route. Every route is `user` unless it says otherwise, so a new route
 * is closed by default; the route-table test lists the ones that are not.
 */
export type AuthLevel = "public" | "optional" | "user" | "staff" | "admin";

declare module "fastify" {
  interface FastifyContextConfig {
    auth?: AuthLevel;
    /** Answer an invalid body with 422 instead of 400: configuration that parses but makes no sense. */
    isInvalidBodyUnprocessable?: boolean;
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
}

export const SESSION_COOKIE = "sb_session";

function tokenFrom(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith("Bearer ")) return header.slice(7).trim();
  return req.cookies[SESSION_COOKIE];
}

/** Resolves the actor on every request, then enforces the route's declared level. */
export const authPlugin = fp(async (app: FastifyInstance, opts: { db: Db }) => {
  app.decorateRequest("actor", null);
  app.addHook("onRequest", async (req) => {
    const level = req.routeOptions.config.auth ?? "user";
    if (level === "public") return;
    const token = tokenFrom(req);
    req.actor = token ? await authenticate(opts.db, token) : null;
    if (level === "optional") return;
    if (!req.actor) throw new AppError("UNAUTHENTICATED", token ? "the token is invalid or expired" : "sign in first");
    if (level === "staff" && !isStaff(req.actor)) throw new AppError("FORBIDDEN", "agents and admins only");
    if (level === "admin" && !isAdmin(req.actor)) throw new AppError("FORBIDDEN", "admins only");
  });
});

/** The signed-in actor on a route whose level guarantees one. */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw new AppError("UNAUTHENTICATED", "sign in first");
  return req.actor;
}
