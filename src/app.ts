import Fastify, { type FastifyInstance } from "fastify";
import cookie from "@fastify/cookie";
import helmet from "@fastify/helmet";
import multipart from "@fastify/multipart";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import type { Config } from "./config.js";
import type { Database } from "./db/client.js";
import { loggerOptions } from "./logger.js";
import { authPlugin } from "./http/auth.js";
import { errorHandler, sendProblem } from "./http/problem.js";
import { rejectUnstorableText } from "./http/unstorableText.js";
import { AttachmentStore } from "./storage/attachmentStore.js";
import { healthRoutes } from "./routes/health.js";
import { inboundWebhookRoutes } from "./routes/webhooks/index.js";
import { apiV1Routes } from "./routes/api/v1/index.js";
import { registerRealtime } from "./realtime/registerRealtime.js";
import type { StreamHub } from "./realtime/streamHub.js";
import { webAppRoutes } from "./http/webApp.js";

export type AppDeps = { database: Database; config: Config; attachments: AttachmentStore; realtime: StreamHub };
export type App = FastifyInstance;

/** Builds the HTTP application. No listening, no side effects beyond the database handle given. */
export async function buildApp(options: { database: Database; config: Config; logger?: boolean }): Promise<App> {
  const { config, database } = options;
  const app = Fastify({
    logger: options.logger === false ? false : loggerOptions(config.LOG_LEVEL),
    trustProxy: config.TRUST_PROXY,
    bodyLimit: 1024 * 1024,
    // Ticket numbers and uuids only; a long path is never legitimate.
    routerOptions: { maxParamLength: 200 },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  // Fastify parses text/plain by default; the API takes JSON (and multipart for files) only,
  // so any other body answers 415 instead of reaching a schema as a bare string.
  app.removeContentTypeParser("text/plain");
  app.addHook("preValidation", rejectUnstorableText);
  app.setNotFoundHandler((req, reply) => sendProblem(req, reply, "NOT_FOUND", `no route for ${req.method} ${req.url.split("?")[0]}`));

  await app.register(cookie);
  // Registered before any route so its hook covers every route, including the plugins' own.
  await app.register(authPlugin, { db: database.db });
  app.addHook("onRoute", (route) => {
    if (route.url.startsWith("/api/docs")) route.config = { ...route.config, auth: "public" };
  });
  // The API serves JSON only; the web app sets its own CSP on its pages (src/http/webApp.ts).
  await app.register(helmet, { contentSecurityPolicy: false });
  await app.register(rateLimit, { global: false });
  await app.register(multipart, {
    limits: { fileSize: config.ATTACHMENT_MAX_BYTES, files: 1, fields: 5, parts: 6, fieldSize: 1024 },
  });
  await app.register(swagger, {
    openapi: {
      info: { title: "Switchboard API", version: "1.0.0", description: "Support desk REST API. Errors are RFC 9457 problem+json." },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" }, cookie: { type: "apiKey", in: "cookie", name: "sb_session" } } },
      security: [{ bearer: [] }, { cookie: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: "/api/docs", uiConfig: { docExpansion: "list" } });
  app.get("/api/openapi.json", { config: { auth: "public" }, schema: { hide: true } }, async () => app.swagger());

  // Before the routes: @fastify/websocket must see the stream route being declared.
  const realtime = await registerRealtime(app, database);
  const deps: AppDeps = { database, config, attachments: new AttachmentStore(config.DATA_DIR), realtime };
  await app.register(healthRoutes, { deps });
  await app.register(inboundWebhookRoutes, { prefix: "/webhooks", deps });
  await app.register(apiV1Routes, { prefix: "/api/v1", deps });
  await app.register(webAppRoutes);
  return app;
}
