import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { createWebhook } from "../../../commands/webhooks/createWebhook.js";
import { deleteWebhook } from "../../../commands/webhooks/deleteWebhook.js";
import { redeliverWebhookDelivery } from "../../../commands/webhooks/redeliverWebhookDelivery.js";
import { rotateWebhookSecret } from "../../../commands/webhooks/rotateWebhookSecret.js";
import { sendWebhookPing } from "../../../commands/webhooks/sendWebhookPing.js";
import { updateWebhook } from "../../../commands/webhooks/updateWebhook.js";
import { WEBHOOK_EVENTS } from "../../../connectors/webhooks/events.js";
import { webhookSettingsFrom } from "../../../connectors/webhooks/webhookSettings.js";
import { findDelivery, findWebhook, listDeliveries, listWebhooks } from "../../../db/repositories/webhooks.js";
import { notFound } from "../../../errors.js";
import { actorOf } from "../../../http/auth.js";
import { presentDelivery, presentWebhook, ZWebhook, ZWebhookDelivery, ZWebhookWithSecret } from "../../../presenters/presentWebhook.js";
import { page, ZProblem } from "../../../presenters/schemas.js";
import { ZLimit } from "./schemas.js";
import type { RouteOptions } from "./index.js";

const ZEvents = z
  .array(z.enum(WEBHOOK_EVENTS))
  .min(1)
  .max(WEBHOOK_EVENTS.length * 2)
  .meta({ description: `Any of: ${WEBHOOK_EVENTS.join(", ")}. A \`ping\` is sent by POST …/test whatever is chosen.` });
const ZUrl = z.string().trim().min(1).max(2000).meta({ description: "http(s); must resolve to public addresses unless ALLOW_PRIVATE_WEBHOOK_TARGETS is set." });
const ZDescriptionText = z.string().trim().max(200);
const ZWebhookRef = z.object({ webhookId: z.uuid() });
const ZPage = z.strictObject({ cursor: z.uuid().optional(), limit: ZLimit });
const problems = { 400: ZProblem, 401: ZProblem, 403: ZProblem, 404: ZProblem, 409: ZProblem, 422: ZProblem, 503: ZProblem };
// Unknown event names and unusable URLs are configuration that parses but makes no sense: 422.
const admin = { auth: "admin" as const, isInvalidBodyUnprocessable: true };

/** Outbound webhooks (docs/webhooks.md): admins only. */
export async function webhookRoutes(fastify: FastifyInstance, { deps }: RouteOptions) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = deps.database;
  const settings = () => webhookSettingsFrom(deps.config);
  const one = async (id: string) => {
    const found = await findWebhook(db, id);
    if (!found) throw notFound("webhook");
    return presentWebhook(found);
  };

  app.get(
    "/webhooks",
    { config: admin, schema: { tags: ["webhooks"], summary: "Webhooks, newest first", querystring: ZPage, response: { 200: page(ZWebhook), ...problems } } },
    async (req) => {
      const result = await listWebhooks(db, req.query);
      return { items: result.rows.map(presentWebhook), nextCursor: result.nextCursor };
    },
  );

  app.post(
    "/webhooks",
    {
      config: admin,
      schema: {
        tags: ["webhooks"],
        summary: "Register a webhook; its signing secret is in this answer only",
        body: z.strictObject({ url: ZUrl, events: ZEvents, description: ZDescriptionText.optional() }),
        response: { 201: ZWebhookWithSecret, ...problems },
      },
    },
    async (req, reply) => {
      const { row, secret } = await createWebhook({ db, actor: actorOf(req), settings: settings(), ...req.body });
      return reply.code(201).send({ ...(await one(row.id)), secret });
    },
  );

  app.get(
    "/webhooks/:webhookId",
    { config: admin, schema: { tags: ["webhooks"], params: ZWebhookRef, response: { 200: ZWebhook, ...problems } } },
    async (req) => one(req.params.webhookId),
  );

  app.patch(
    "/webhooks/:webhookId",
    {
      config: admin,
      schema: {
        tags: ["webhooks"],
        summary: "Change a webhook; `active: true` re-enables a disabled one and clears its failure count",
        params: ZWebhookRef,
        body: z.strictObject({ url: ZUrl.optional(), events: ZEvents.optional(), description: ZDescriptionText.optional(), active: z.boolean().optional() }),
        response: { 200: ZWebhook, ...problems },
      },
    },
    async (req) => {
      await updateWebhook({ db, actor: actorOf(req), settings: settings(), webhookId: req.params.webhookId, changes: req.body });
      return one(req.params.webhookId);
    },
  );

  app.delete(
    "/webhooks/:webhookId",
    { config: admin, schema: { tags: ["webhooks"], summary: "Delete a webhook and its delivery log", params: ZWebhookRef, response: { 204: z.null(), ...problems } } },
    async (req, reply) => {
      await deleteWebhook(db, req.params.webhookId);
      return reply.code(204).send(null);
    },
  );

  app.post(
    "/webhooks/:webhookId/rotate-secret",
    {
      config: admin,
      schema: { tags: ["webhooks"], summary: "Replace the signing secret (effective at once); the new one is in this answer only", params: ZWebhookRef, response: { 200: ZWebhookWithSecret, ...problems } },
    },
    async (req) => {
      const { row, secret } = await rotateWebhookSecret(db, settings(), req.params.webhookId);
      return { ...(await one(row.id)), secret };
    },
  );

  app.post(
    "/webhooks/:webhookId/test",
    { config: admin, schema: { tags: ["webhooks"], summary: "Send a signed `ping` through the queue", params: ZWebhookRef, response: { 202: ZWebhookDelivery, ...problems } } },
    async (req, reply) => {
      const delivery = await sendWebhookPing(db, actorOf(req), req.params.webhookId);
      return reply.code(202).send(presentDelivery({ ...delivery, attempts: [] }));
    },
  );

  app.get(
    "/webhooks/:webhookId/deliveries",
    {
      config: admin,
      schema: { tags: ["webhooks"], summary: "The delivery log, newest first, with every attempt's response code", params: ZWebhookRef, querystring: ZPage, response: { 200: page(ZWebhookDelivery), ...problems } },
    },
    async (req) => {
      if (!(await findWebhook(db, req.params.webhookId))) throw notFound("webhook");
      const result = await listDeliveries(db, req.params.webhookId, req.query);
      return { items: result.rows.map(presentDelivery), nextCursor: result.nextCursor };
    },
  );

  app.post(
    "/webhooks/:webhookId/deliveries/:deliveryId/redeliver",
    {
      config: admin,
      schema: {
        tags: ["webhooks"],
        summary: "Send a delivery again: same delivery id and body, fresh signature and retries",
        params: ZWebhookRef.extend({ deliveryId: z.uuid() }),
        response: { 202: ZWebhookDelivery, ...problems },
      },
    },
    async (req, reply) => {
      await redeliverWebhookDelivery(db, req.params.webhookId, req.params.deliveryId);
      const delivery = await findDelivery(db, req.params.webhookId, req.params.deliveryId);
      if (!delivery) throw notFound("delivery");
      return reply.code(202).send(presentDelivery(delivery));
    },
  );
}
