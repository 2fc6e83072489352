import { pino, type Logger, type LoggerOptions } from "pino";

/** Paths never written to logs, whatever the level. */
export const redactPaths = [
  "req.headers.authorization",
  "req.headers.cookie",
  "res.headers['set-cookie']",
  "*.password",
  "*.passwordHash",
  "*.token",
  "*.secret",
  "*.apiToken",
  "*.accessToken",
  "*.refreshToken",
];

/** Query parameters that carry credentials: the stream's `?token=`, OAuth callbacks' `code` and `state`. */
const secretQuery = /([?&](?:token|access_token|code|state)=)[^&#]*/gi;

export function redactUrl(url: string): string {
  return url.replace(secretQuery, "$1[redacted]");
}

type LoggedRequest = { method: string; url: string; host?: string; ip?: string; socket?: { remotePort?: number } };

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: redactPaths, censor: "[redacted]" },
    // Replaces Fastify's request serializer (same fields) so URLs are logged without credentials.
    serializers: {
      req: (req: LoggedRequest) => ({ method: req.method, url: redactUrl(req.url), host: req.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort }),
    },
  };
}

export function createLogger(level = "info"): Logger {
  return pino(loggerOptions(level));
}

export type { Logger };
