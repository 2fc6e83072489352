import { z } from "zod";
import { decodeSecretKey } from "./crypto/secretKey.js";

const ZBool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

/**
 * Every environment variable Switchboard reads. README.md documents each one;
 * keep the two in step.
 */
export const ZConfig = z.object({
  /** HTTP port. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface to listen on. */
  HOST: z.string().min(1).default("0.0.0.0"),
  /** Public base URL, used in links sent to people. */
  PUBLIC_URL: z.url().optional(),
  /** A PostgreSQL server (>= 15). Unset: the embedded PGlite database under DATA_DIR. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  /** Where the embedded database and attachment files live. */
  DATA_DIR: z.string().min(1).default("./data"),
  /** Load demo data into an empty database on start. */
  DEMO_DATA: ZBool.default(true),
  /** First admin, created on start when the database has no admin. */
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: z.string().min(12, "must be at least 12 characters").optional(),
  /** 32-byte key (hex or base64) for secrets at rest. Unset in embedded mode: generated under DATA_DIR. */
  SWITCHBOARD_SECRET_KEY: z
    .string()
    .refine((v) => { try { decodeSecretKey(v); return true; } catch { return false; } }, "must be 32 bytes as 64 hex characters or base64 (openssl rand -hex 32)")
    .optional(),
  /** IANA zone of the default business-hours SLA calendar created on first start. */
  DEFAULT_TIMEZONE: z.string().min(1).default("UTC"),
  /** How often the SLA sweeper runs at the latest (it also wakes at the next due clock). */
  SLA_SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /** Let admin-supplied outbound URLs (webhooks, iCal feeds) reach loopback and private networks. */
  ALLOW_PRIVATE_WEBHOOK_TARGETS: ZBool.default(false),
  /** Outgoing mail server, smtp:// or smtps:// (user:password@host:port). Unset: mail is recorded as skipped, not sent. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL")
    .optional(),
  /** Sender of outgoing mail. */
  MAIL_FROM: z.string().min(3).default("Switchboard <support@localhost>"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Largest accepted attachment, in bytes. */
  ATTACHMENT_MAX_BYTES: z.coerce.number().int().positive().default(10 * 1024 * 1024),
  /** Session lifetime in hours. */
  SESSION_TTL_HOURS: z.coerce.number().int().positive().default(24 * 14),
  /** Mark the session cookie Secure: auto = when the request came over TLS (honours TRUST_PROXY). */
  COOKIE_SECURE: z.enum(["auto", "true", "false"]).default("auto"),
  /** Trust X-Forwarded-* headers from a reverse proxy. */
  TRUST_PROXY: ZBool.default(false),
  /** Login attempts per IP per minute. */
  LOGIN_RATE_LIMIT: z.coerce.number().int().positive().default(10),
  /** Anonymous ticket submissions per IP per hour. */
  ANON_TICKET_RATE_LIMIT: z.coerce.number().int().positive().default(20),
});

export type Config = z.infer<typeof ZConfig>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/** Parses the environment once at boot; throws ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = ZConfig.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  }
  return parsed.data;
}
