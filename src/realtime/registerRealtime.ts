import type { FastifyInstance } from "fastify";
import websocket from "@fastify/websocket";
import { authenticate } from "../commands/auth/authenticate.js";
import type { Database } from "../db/client.js";
import { createActivityListener } from "./activityListener.js";
import { StreamHub } from "./streamHub.js";

/**
 * Adds WebSocket support and this process's share of the real-time stream: the hub its
 * sockets join, and the LISTEN that feeds it, started when the app is ready and stopped when
 * it closes. Every process that serves HTTP runs one, so each delivers to its own sockets
 * whichever process committed the change.
 */
export async function registerRealtime(app: FastifyInstance, database: Database): Promise<StreamHub> {
  const log = app.log.child({ component: "realtime" });
  const hub = new StreamHub({ db: database.db, log, authenticate: (token) => authenticate(database.db, token) });
  const listener = createActivityListener(database, { onPayload: (p) => hub.receive(p), onReconnected: () => hub.resync() }, log);
  await app.register(websocket, {
    // Clients only listen; a large inbound frame is never legitimate.
    options: { maxPayload: 4096 },
    // Replaces the plugin's default, which closes sockets without a code and does not wait.
    preClose: async () => {
      await hub.close();
      await new Promise<void>((resolve) => app.websocketServer.close(() => resolve()));
    },
  });
  app.addHook("onReady", async () => {
    await listener.start();
  });
  app.addHook("onClose", async () => {
    await listener.stop();
    await hub.idle();
  });
  return hub;
}
