import { loadConfig, type Config } from "../../../config.js";
import { secretKeyFor } from "../../../crypto/secretKey.js";
import { deriveThreadingKey } from "./threading.js";

/** What the `email.send` job needs from the configuration. */
export type MailSettings = {
  smtpUrl: string | undefined;
  from: string;
  /** Base of the portal links in mails, without a trailing slash. */
  publicUrl: string;
  /** Signs Message-IDs (threading.ts). */
  threadingKey: Buffer;
  /** Opens the sealed one-time tokens that account mails carry in their job payloads. */
  secretKey: Buffer;
};

let configured: MailSettings | undefined;

export function mailSettingsFrom(config: Config): MailSettings {
  const secretKey = secretKeyFor(config);
  return {
    smtpUrl: config.SMTP_URL,
    from: config.MAIL_FROM,
    publicUrl: (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, ""),
    threadingKey: deriveThreadingKey(secretKey),
    secretKey,
  };
}

/**
 * Sets the process's mail settings; `serve` calls it with the boot config. Job handlers take no
 * config argument (like `currentQueue()`, this is a process singleton), so without this call the
 * settings are read from the environment on first use.
 */
export function configureMail(config: Config): void {
  configured = mailSettingsFrom(config);
}

export function currentMailSettings(): MailSettings {
  configured ??= mailSettingsFrom(loadConfig());
  return configured;
}
