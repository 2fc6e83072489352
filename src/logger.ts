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

export function loggerOptions(level: string): LoggerOptions {
  return { level, redact: { paths: redactPaths, censor: "[redacted]" } };
}

export function createLogger(level = "info"): Logger {
  return pino(loggerOptions(level));
}

export type { Logger };
