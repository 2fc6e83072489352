import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { authenticate } from "../../../commands/auth/authenticate.js";
import { SESSION_COOKIE } from "../../../http/auth.js";
import { AppError } from "../../../errors.js";
import type { Actor } from "../../../policies/actor.js";
import { ZProblem } from "../../../presenters/schemas.js";
import { CLOSE_POLICY_VIOLATION } from "../../../realtime/streamHub.js";
import type { Db } from "../../../db/client.js";
import type { RouteOptions } from "./index.js";

const ZStreamQuery = z.object({
  token: z.string().optional().describe("a session or API token, for browsers, which cannot set headers on a WebSocket"),
});

const description = `A WebSocket. Frames are JSON text: \`{ type, ticketId, ticketNumber, at, data }\`, with type
\`ticket.created | ticket.updated | ticket.assigned\` (data: \`{ ticket, changes }\`), \`message.created\` (data: \`{ message }\`),
\`sla.warning | sla.breached\` (staff only; data: \`{ ticket, metric, threshold }\`), and \`stream.ready\` first, \`stream.resync\`
when the server may have missed changes (reload what you show). Customers receive their own tickets (an organization
manager: the organization's), never internal notes or staff-only changes. Credentials: \`Authorization: Bearer\`, the
\`${SESSION_COOKIE}\` cookie, or \`?token=\`. A missing, unknown, revoked or expired token completes the upgrade and closes
with code 1008; a plain HTTP request answers 401 or 400.`;

/**
 * The route's level is "optional" so that the auth hook never answers an upgrade with an HTTP
 * 401 (browsers cannot read it); the route refuses strangers itself, as 1008 on a socket and
 * as 401 problem+json over plain HTTP.
 */
export async function streamRoutes(fastify: FastifyInstance, { deps }: RouteOptions) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = deps.database;

  app.route({
    method: "GET",
    url: "/stream",
    config: { auth: "optional" },
    // Request logs print the URL, and a browser's URL carries `?token=`: keep it out of the logs.
    logLevel: "warn",
    schema: {
      tags: ["stream"],
      summary: "Real-time ticket events (WebSocket)",
      description,
      querystring: ZStreamQuery,
      response: { 400: ZProblem, 401: ZProblem },
    },
    handler: async (req) => {
      const { actor, token } = await resolveCaller(db, req, req.query.token);
      if (!actor) throw new AppError("UNAUTHENTICATED", token ? "the token is invalid or expired" : "sign in first");
      throw new AppError("BAD_REQUEST", "this is a WebSocket endpoint: connect with Upgrade: websocket");
    },
    wsHandler: async (socket, req) => {
      const { actor, token } = await resolveCaller(db, req, req.query.token);
      if (!actor || !token) {
        socket.close(CLOSE_POLICY_VIOLATION, token ? "the token is invalid or expired" : "sign in first");
        return;
      }
      deps.realtime.add(socket, actor, token);
    },
  });
}

/**
 * The caller's token and who it belongs to. Bearer first, then `?token=`, then the cookie; the
 * auth hook has already resolved a Bearer or cookie token, so only a query token costs a lookup.
 */
async function resolveCaller(db: Db, req: FastifyRequest, queryToken: string | undefined): Promise<{ actor: Actor | null; token: string | undefined }> {
  const header = req.headers.authorization;
  const bearer = header?.startsWith("Bearer ") ? header.slice(7).trim() : undefined;
  if (!bearer && queryToken) return { actor: await authenticate(db, queryToken), token: queryToken };
  return { actor: req.actor, token: bearer ?? req.cookies[SESSION_COOKIE] };
}
