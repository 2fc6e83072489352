import { api, queryString } from "../client.ts";
import type { Page } from "../types.ts";
import type { FailedJob } from "./types.ts";

export type JobState = "dead" | "retrying" | "";

export const listFailedJobs = (state: JobState, cursor: string | null, signal?: AbortSignal) =>
  api<Page<FailedJob>>(`/jobs${queryString({ state, cursor, limit: 50 })}`, { signal });
export const retryJob = (id: string) => api<FailedJob>(`/jobs/${encodeURIComponent(id)}/retry`, { method: "POST" });
export const discardJob = (id: string) => api<FailedJob>(`/jobs/${encodeURIComponent(id)}/discard`, { method: "POST" });
