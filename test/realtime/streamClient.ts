import WebSocket from "ws";

export type Frame = {
  type: string;
  ticketId: string | null;
  ticketNumber: string | null;
  at: string;
  data: Record<string, unknown>;
};

export type Credentials = { bearer?: string; query?: string; cookie?: string };

/**
 * A real `ws` client of /api/v1/stream that keeps every frame it got, so a test can wait for
 * one and afterwards assert what never came.
 */
export class StreamClient {
  readonly frames: Frame[] = [];
  readonly raw: string[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: (() => void)[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on("message", (data: WebSocket.RawData) => {
      const text = data.toString();
      this.raw.push(text);
      this.frames.push(JSON.parse(text) as Frame);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) => {
      socket.on("close", (code: number, reason: Buffer) => {
        resolve({ code, reason: reason.toString() });
        for (const wake of this.waiters.splice(0)) wake();
      });
    });
  }

  /** Connects without waiting for anything; use `ready()` or `closed`. */
  static open(baseUrl: string, credentials: Credentials = {}): StreamClient {
    const url = new URL("/api/v1/stream", baseUrl.replace(/^http/, "ws"));
    if (credentials.query !== undefined) url.searchParams.set("token", credentials.query);
    const headers: Record<string, string> = {};
    if (credentials.bearer) headers.authorization = `Bearer ${credentials.bearer}`;
    if (credentials.cookie) headers.cookie = `sb_session=${credentials.cookie}`;
    const socket = new WebSocket(url, { headers });
    // Errors (a refused upgrade) surface through `closed`; an unhandled one would crash the run.
    socket.on("error", () => undefined);
    return new StreamClient(socket);
  }

  /** Connects and waits for `stream.ready`, after which the server delivers every change to it. */
  static async connect(baseUrl: string, credentials: Credentials): Promise<StreamClient> {
    const client = StreamClient.open(baseUrl, credentials);
    await client.next((f) => f.type === "stream.ready", "stream.ready");
    return client;
  }

  /** The first frame (received so far or later) that matches; fails after `timeoutMs`. */
  async next(match: (f: Frame) => boolean, what: string, timeoutMs = 10_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.find(match);
      if (found) return found;
      if (this.socket.readyState === WebSocket.CLOSED) throw new Error(`socket closed while waiting for ${what}; got ${this.types()}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${what} within ${timeoutMs} ms; got ${this.types()}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  framesFor(ticketId: string): Frame[] {
    return this.frames.filter((f) => f.ticketId === ticketId);
  }

  types(): string {
    return JSON.stringify(this.frames.map((f) => `${f.type}${f.ticketNumber ? ` ${f.ticketNumber}` : ""}`));
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    this.socket.close();
    await this.closed;
  }
}

export const isFrame = (type: string, ticketId: string) => (f: Frame) => f.type === type && f.ticketId === ticketId;
