import { api } from "../client.ts";
import type { JiraConnection } from "./types.ts";
import { ApiError } from "../ApiError.ts";

/** The Jira connection, or null when none is configured (the API answers 404). */
export async function getJiraConnection(signal?: AbortSignal): Promise<JiraConnection | null> {
  try {
    return await api<JiraConnection>("/connections/jira", { signal });
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

/** Checks the stored connection against Jira; the answer carries a report in words. */
export const testJiraConnection = () => api<JiraConnection>("/connections/jira/test", { method: "POST" });

/** Queues the reconcile poll and the customer sync now (202). */
export const syncJiraNow = () => api<{ jobs: string[] }>("/connections/jira/sync", { method: "POST" });
