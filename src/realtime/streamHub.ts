import type { FastifyBaseLogger } from "fastify";
import type { Actor } from "../policies/actor.js";
import type { Executor } from "../db/client.js";
import { decodeNotice, type ActivityNotice } from "./activityNotice.js";
import { ActivityFrames, type StreamFrame } from "./activityFrames.js";
import { maySeeTicket } from "./maySeeTicket.js";

/** The part of a `ws` socket the hub uses (tests hand it fakes for the failure paths). */
export interface StreamSocket {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: string): void;
  ping(): void;
  close(code: number, reason: string): void;
  terminate(): void;
  on(event: "pong" | "close", listener: () => void): unknown;
}

const OPEN = 1;

/** Close codes sent to clients (RFC 6455 §7.4.1). */
export const CLOSE_GOING_AWAY = 1001;
export const CLOSE_POLICY_VIOLATION = 1008;

export type HubOptions = {
  db: Executor;
  log: FastifyBaseLogger;
  /** Re-resolves a client's token; null when it was revoked, expired or its user deactivated. */
  authenticate: (token: string) => Promise<Actor | null>;
  /** Ping interval; a client that has not answered the previous ping is dropped. */
  heartbeatMs?: number;
  /** Bytes queued for a client beyond which it is dropped instead of buffered for. */
  maxBufferedBytes?: number;
  /** How often a connected client's token is checked again. */
  recheckMs?: number;
  /** How long a closing client may take to answer the close handshake on shutdown. */
  closeGraceMs?: number;
};

type Client = { socket: StreamSocket; actor: Actor; token: string; isAlive: boolean; checkedAt: number };

/**
 * The sockets this process serves and the fan-out to them. Notices are handled one at a time
 * in arrival order, so a client sees a ticket's changes in commit order; each is loaded once
 * for all clients, and only when someone is connected.
 */
export class StreamHub {
  private readonly clients = new Set<Client>();
  private pending: Promise<void> = Promise.resolve();
  private heartbeat: NodeJS.Timeout | undefined;
  private isClosing = false;
  private readonly heartbeatMs: number;
  private readonly maxBufferedBytes: number;
  private readonly recheckMs: number;
  private readonly closeGraceMs: number;

  constructor(private readonly options: HubOptions) {
    this.heartbeatMs = options.heartbeatMs ?? 30_000;
    this.maxBufferedBytes = options.maxBufferedBytes ?? 1024 * 1024;
    this.recheckMs = options.recheckMs ?? 5 * 60_000;
    this.closeGraceMs = options.closeGraceMs ?? 2_000;
  }

  get size(): number {
    return this.clients.size;
  }

  /** Starts serving an authenticated socket; the `stream.ready` frame tells it frames will follow. */
  add(socket: StreamSocket, actor: Actor, token: string): void {
    if (this.isClosing) {
      socket.close(CLOSE_GOING_AWAY, "server shutting down");
      return;
    }
    // Gone while its token was being checked.
    if (socket.readyState !== OPEN) return;
    const client: Client = { socket, actor, token, isAlive: true, checkedAt: Date.now() };
    this.clients.add(client);
    socket.on("pong", () => {
      client.isAlive = true;
    });
    socket.on("close", () => {
      this.clients.delete(client);
    });
    this.startHeartbeat();
    this.send(client, this.streamFrame("stream.ready", { user: { id: actor.id, name: actor.name, role: actor.role } }));
  }

  /** A payload from the activity channel. */
  receive(payload: string): void {
    const notice = decodeNotice(payload);
    if (!notice) {
      this.options.log.warn({ payload: payload.slice(0, 200) }, "realtime: ignored an unreadable activity notice");
      return;
    }
    this.pending = this.pending.then(() =>
      this.deliver(notice).catch((error: unknown) => {
        this.options.log.error({ err: error, ticketId: notice.ticketId }, "realtime: could not deliver an activity");
      }),
    );
  }

  /**
   * The listener lost its connection for a while: changes committed meanwhile were not heard.
   * Clients refetch what they show instead of trusting a stream with a hole in it.
   */
  resync(): void {
    const text = this.streamFrame("stream.resync", { reason: "the server missed changes; reload what you show" });
    for (const client of this.clients) this.send(client, text);
  }

  /** Resolves once every notice received so far has been delivered. */
  idle(): Promise<void> {
    return this.pending;
  }

  /** Closes every socket (1001), terminating those that do not finish the handshake in time. */
  async close(): Promise<void> {
    this.isClosing = true;
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    const closing = [...this.clients];
    if (closing.length === 0) return;
    const gone = Promise.all(closing.map((c) => new Promise<void>((resolve) => c.socket.on("close", resolve))));
    for (const client of closing) client.socket.close(CLOSE_GOING_AWAY, "server shutting down");
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.closeGraceMs);
    });
    await Promise.race([gone, late]);
    clearTimeout(timer);
    for (const client of this.clients) client.socket.terminate();
    this.clients.clear();
  }

  private async deliver(notice: ActivityNotice): Promise<void> {
    if (this.clients.size === 0) return;
    let recipients: Client[] = [];
    const frames = await ActivityFrames.load(this.options.db, notice, (ticket) => {
      recipients = [...this.clients].filter((c) => maySeeTicket(c.actor, ticket));
      return recipients.length > 0;
    });
    if (!frames) return;
    for (const client of recipients) {
      if (!this.clients.has(client)) continue;
      for (const text of frames.framesFor(client.actor)) this.send(client, text);
    }
  }

  private send(client: Client, text: string): void {
    if (client.socket.readyState !== OPEN) return;
    // A client that does not read would make us hold every frame for it; it can reconnect.
    if (client.socket.bufferedAmount + Buffer.byteLength(text) > this.maxBufferedBytes) {
      this.options.log.warn({ userId: client.actor.id, buffered: client.socket.bufferedAmount }, "realtime: dropped a client that does not keep up");
      this.drop(client);
      return;
    }
    client.socket.send(text);
  }

  private drop(client: Client): void {
    this.clients.delete(client);
    client.socket.terminate();
  }

  private startHeartbeat(): void {
    if (this.heartbeat) return;
    this.heartbeat = setInterval(() => this.beat(), this.heartbeatMs);
    this.heartbeat.unref();
  }

  private beat(): void {
    if (this.clients.size === 0) {
      clearInterval(this.heartbeat);
      this.heartbeat = undefined;
      return;
    }
    const now = Date.now();
    for (const client of this.clients) {
      if (!client.isAlive) {
        this.drop(client);
        continue;
      }
      client.isAlive = false;
      client.socket.ping();
      if (now - client.checkedAt >= this.recheckMs) {
        client.checkedAt = now;
        void this.recheck(client);
      }
    }
  }

  /** A signed-out, revoked or deactivated user stops receiving; a changed role or organization applies. */
  private async recheck(client: Client): Promise<void> {
    try {
      const actor = await this.options.authenticate(client.token);
      if (!this.clients.has(client)) return;
      if (!actor) {
        this.clients.delete(client);
        client.socket.close(CLOSE_POLICY_VIOLATION, "the session has ended");
        return;
      }
      client.actor = actor;
    } catch (error) {
      // A database hiccup is not the client's fault; try again at the next check.
      this.options.log.warn({ err: error }, "realtime: could not re-check a client's token");
    }
  }

  private streamFrame(type: string, data: Record<string, unknown>): string {
    const frame: StreamFrame = { type, ticketId: null, ticketNumber: null, at: new Date().toISOString(), data };
    return JSON.stringify(frame);
  }
}
