import { sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../app.js";
import { sendProblem } from "../http/problem.js";

export async function healthRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const publicRoute = { config: { auth: "public" as const }, schema: { hide: true } };
  app.get("/healthz", publicRoute, async () => ({ status: "ok" }));
  app.get("/readyz", publicRoute, async (req, reply) => {
    try {
      await deps.database.db.execute(sql`select 1`);
      return { status: "ready", database: deps.database.driver };
    } catch {
      return sendProblem(req, reply, "UNAVAILABLE", "database unreachable");
    }
  });
}
