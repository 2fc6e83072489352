/** `connections.system` and `subscriptions.external_system` for Jira. */
export const JIRA_SYSTEM = "jira";
/** The channel of every change the connector makes to a ticket (history, messages). */
export const JIRA_CHANNEL = "jira";
/** `inbound_events.source` for Jira webhooks. */
export const JIRA_WEBHOOK_SOURCE = "jira";
