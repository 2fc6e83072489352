import type { FastifyBaseLogger } from "fastify";
import pg from "pg";
import type { Database } from "../db/client.js";
import { ACTIVITY_CHANNEL } from "./activityNotice.js";

export type ActivityListener = { start(): Promise<void>; stop(): Promise<void> };

export type ListenerHandlers = {
  /** A payload from the channel, in commit order. */
  onPayload: (payload: string) => void;
  /** The connection came back after a loss; notices committed in between were not heard. */
  onReconnected: () => void;
};

/** LISTENs on the activity channel of the app's database, whichever driver it uses. */
export function createActivityListener(database: Database, handlers: ListenerHandlers, log: FastifyBaseLogger): ActivityListener {
  if (database.driver === "pglite") {
    const pglite = database.pglite;
    if (!pglite) throw new Error("pglite database without its instance");
    let unlisten: (() => Promise<void>) | undefined;
    return {
      start: async () => {
        unlisten = await pglite.listen(ACTIVITY_CHANNEL, handlers.onPayload);
      },
      stop: async () => {
        await unlisten?.();
        unlisten = undefined;
      },
    };
  }
  const pool = database.pool;
  if (!pool) throw new Error("pg database without its pool");
  // The pool's own settings, so the listener reaches exactly the database the app writes to.
  return new PgActivityListener({ ...pool.options, application_name: "switchboard realtime", keepAlive: true }, handlers, log);
}

const BACKOFF_FIRST_MS = 250;
const BACKOFF_MAX_MS = 30_000;

/**
 * A dedicated connection, not one borrowed from the pool: LISTEN belongs to a session, and a
 * pooled client goes back to other work. When the connection drops (server restart, failover,
 * an idle-killer) it reconnects with capped, jittered exponential backoff and LISTENs again.
 */
class PgActivityListener implements ActivityListener {
  private client: pg.Client | undefined;
  private retry: NodeJS.Timeout | undefined;
  private attempts = 0;
  private isStopped = false;

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly handlers: ListenerHandlers,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** The first connection must succeed: a web process that cannot listen should not start. */
  async start(): Promise<void> {
    this.isStopped = false;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.isStopped = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client(this.config);
    client.on("notification", (n) => {
      if (n.channel === ACTIVITY_CHANNEL && n.payload) this.handlers.onPayload(n.payload);
    });
    // Without an error listener a dropped connection would crash the process.
    client.on("error", (error) => {
      this.log.warn({ err: error }, "realtime: the LISTEN connection failed");
      this.lost(client);
    });
    client.on("end", () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${ACTIVITY_CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.isStopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
  }

  private lost(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    void client.end().catch(() => undefined);
    if (!this.isStopped) this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** this.attempts);
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    this.attempts += 1;
    this.retry = setTimeout(() => void this.reconnect(), delay);
    this.retry.unref();
  }

  private async reconnect(): Promise<void> {
    if (this.isStopped) return;
    try {
      await this.connect();
    } catch (error) {
      this.log.warn({ err: error, attempts: this.attempts }, "realtime: reconnecting the LISTEN connection failed; retrying");
      if (!this.isStopped) this.scheduleReconnect();
      return;
    }
    if (this.isStopped) return;
    this.log.info({ attempts: this.attempts }, "realtime: listening again");
    this.attempts = 0;
    this.handlers.onReconnected();
  }
}
