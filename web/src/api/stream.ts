import type { StreamFrame } from "./types.ts";

export type StreamStatus = "connecting" | "live" | "offline";

type Handlers = {
  onFrame: (frame: StreamFrame) => void;
  onStatus: (status: StreamStatus) => void;
  /** After a reconnect: whatever happened while away was missed. */
  onReconnected: () => void;
  /** The server refused the credentials (close 1008). */
  onRefused: () => void;
};

const POLICY_VIOLATION = 1008;
const maxDelayMs = 30_000;

function isFrame(value: unknown): value is StreamFrame {
  return typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string";
}

/**
 * GET /api/v1/stream with the session cookie, kept open: a dropped or refused connection is
 * retried with growing, jittered delays, quietly, because the app works without it (it only
 * makes screens fresher). Returns a function that closes it for good.
 */
export function openTicketStream(handlers: Handlers): () => void {
  let socket: WebSocket | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let attempt = 0;
  let hasConnected = false;
  let isStopped = false;

  const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/api/v1/stream`;

  const schedule = () => {
    if (isStopped) return;
    handlers.onStatus("offline");
    const base = Math.min(maxDelayMs, 1000 * 2 ** attempt);
    attempt += 1;
    timer = setTimeout(connect, base / 2 + Math.random() * (base / 2));
  };

  function connect() {
    if (isStopped) return;
    handlers.onStatus("connecting");
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      handlers.onStatus("live");
      if (hasConnected) handlers.onReconnected();
      hasConnected = true;
    };
    ws.onmessage = (event) => {
      if (typeof event.data !== "string") return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(event.data);
      } catch {
        return;
      }
      if (isFrame(parsed)) handlers.onFrame(parsed);
    };
    ws.onclose = (event) => {
      if (socket !== ws) return;
      socket = undefined;
      if (event.code === POLICY_VIOLATION) {
        handlers.onRefused();
        attempt = Math.max(attempt, 4);
      }
      schedule();
    };
  }

  connect();
  return () => {
    isStopped = true;
    if (timer) clearTimeout(timer);
    const ws = socket;
    socket = undefined;
    ws?.close(1000, "done");
  };
}
