import { forkLoad } from "./forkLoad.js";
import type { LoadRequest, LoadResult } from "./loadgen.js";
import { COMMON_WORD, RARE_WORD } from "./vocabulary.js";

export type ScenarioId = "create" | "queue" | "searchRare" | "searchCommon";

export type HttpScenario = {
  id: ScenarioId;
  title: string;
  method: "GET" | "POST";
  path: string;
  body?: string;
};

export const queuePath = "/api/v1/tickets?status=open,in_progress&priority=high&sort=sla_due&limit=50";
export const searchPath = (word: string) => `/api/v1/tickets?q=${encodeURIComponent(word)}&limit=50`;

export const readScenarios: HttpScenario[] = [
  { id: "queue", title: "queue page (open+in_progress, high, by SLA due, 50)", method: "GET", path: queuePath },
  { id: "searchRare", title: `search, rare word "${RARE_WORD}"`, method: "GET", path: searchPath(RARE_WORD) },
  { id: "searchCommon", title: `search, common word "${COMMON_WORD}"`, method: "GET", path: searchPath(COMMON_WORD) },
];

/** `[<id>]` gives every ticket its own subject, as real traffic would. */
export const createScenario: HttpScenario = {
  id: "create",
  title: "create ticket (POST, agent token)",
  method: "POST",
  path: "/api/v1/tickets",
  body: JSON.stringify({
    subject: "Benchmark ticket [<id>]",
    description: "Filed by npm run bench to measure ticket creation through the API.",
    category: "general",
    priority: "medium",
  }),
};

export type Probe = { status: number; items: number | null };

/** One request before the load, so a wrong route or an empty result is visible in the report. */
export async function probe(baseUrl: string, token: string, scenario: HttpScenario): Promise<Probe> {
  if (scenario.method !== "GET") return { status: 0, items: null };
  const res = await fetch(baseUrl + scenario.path, { headers: { authorization: `Bearer ${token}` } });
  const json: unknown = await res.json();
  const items = typeof json === "object" && json !== null && "items" in json && Array.isArray(json.items) ? json.items.length : null;
  return { status: res.status, items };
}

export type LoadSettings = { connections: number; durationSeconds: number; warmupSeconds: number; timeoutSeconds: number };


/** Runs one scenario in a child process; the parent (the server) keeps only its own work. */
export function runScenario(baseUrl: string, token: string, scenario: HttpScenario, settings: LoadSettings): Promise<LoadResult> {
  const request: LoadRequest = {
    url: baseUrl + scenario.path,
    method: scenario.method,
    headers: { authorization: `Bearer ${token}`, ...(scenario.body ? { "content-type": "application/json" } : {}) },
    body: scenario.body,
    ...settings,
  };
  return forkLoad(request);
}
