import { queryKeys } from "../queryKeys.ts";

/**
 * Query keys of the admin screens. Each resource has one prefix, so a mutation invalidates
 * every view of it (all filters and pages) with one call.
 */
export const adminKeys = {
  users: ["admin", "users"] as const,
  userList: (filters: Record<string, string>) => ["admin", "users", filters] as const,
  /** Shared with the desk's pickers, so a renamed team shows there at once. */
  teams: queryKeys.teams,
  staff: queryKeys.staff,
  calendars: ["admin", "sla", "calendars"] as const,
  policies: ["admin", "sla", "policies"] as const,
  jira: ["admin", "connections", "jira"] as const,
  webhooks: ["admin", "webhooks"] as const,
  deliveries: (webhookId: string) => ["admin", "webhooks", webhookId, "deliveries"] as const,
  tokens: ["admin", "tokens"] as const,
  jobs: ["admin", "jobs"] as const,
  jobList: (state: string) => ["admin", "jobs", "list", state] as const,
  /** The overview's first page: a plain query, so not under the list's (infinite) keys. */
  jobSummary: ["admin", "jobs", "summary"] as const,
};
