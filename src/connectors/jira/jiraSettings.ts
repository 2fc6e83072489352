import { loadConfig, type Config } from "../../config.js";
import { secretKeyFor } from "../../crypto/secretKey.js";

/** What the Jira routes and jobs need from the process configuration. */
export type JiraSettings = {
  /** Seals and opens the connection's secrets (`connection:<id>`) and OAuth verifiers. */
  secretKey: Buffer;
  /** Base of the OAuth callback and the webhook URL shown to admins, without a trailing slash. */
  publicUrl: string;
  /** Where attachment bytes live (escalation uploads them). */
  dataDir: string;
  /** The ticket attachment limit (ATTACHMENT_MAX_BYTES): Jira files above it are not imported. Unset: 10 MiB, the config's default. */
  attachmentMaxBytes?: number;
};

let configured: JiraSettings | undefined;

export function jiraSettingsFrom(config: Config): JiraSettings {
  return {
    secretKey: secretKeyFor(config),
    publicUrl: (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, ""),
    dataDir: config.DATA_DIR,
    attachmentMaxBytes: config.ATTACHMENT_MAX_BYTES,
  };
}

/**
 * Sets the process's Jira settings; `serve` calls it with the boot config. Job handlers take no
 * config argument (like `currentQueue()`, this is a process singleton), so without this call the
 * settings are read from the environment on first use.
 */
export function configureJira(config: Config): void {
  configured = jiraSettingsFrom(config);
}

export function currentJiraSettings(): JiraSettings {
  configured ??= jiraSettingsFrom(loadConfig());
  return configured;
}
