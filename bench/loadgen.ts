/**
 * Child-process entry: runs autocannon against the server and reports back over IPC.
 * The load generator lives in its own process so it neither shares the server's event loop
 * (which would inflate latencies) nor counts towards the server's RSS.
 */
import { randomUUID } from "node:crypto";
import autocannon from "autocannon";
import { summarize, type LatencySummary } from "./stats.js";

export type LoadRequest = {
  url: string;
  method: "GET" | "POST";
  headers: Record<string, string>;
  /** May contain autocannon's `[<id>]` placeholder, replaced per request. */
  body?: string | undefined;
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  timeoutSeconds: number;
  /** A fixed offered rate across all connections (requests per second), instead of as fast as answered. */
  overallRate?: number | undefined;
  /** A header given a fresh UUID on every request (a webhook delivery id, so none is a duplicate). */
  uniqueIdHeader?: string | undefined;
};

export type LoadResult = {
  responses: number;
  seconds: number;
  /** Completed responses per second of measured time. */
  rps: number;
  latency: LatencySummary;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
};

type Phase = { latencies: number[]; statusCodes: Record<string, number>; result: autocannon.Result; seconds: number };

function runPhase(req: LoadRequest, seconds: number): Promise<Phase> {
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: req.url,
        method: req.method,
        headers: req.headers,
        body: req.body,
        idReplacement: req.body?.includes("[<id>]") ?? false,
        connections: req.connections,
        duration: seconds,
        timeout: req.timeoutSeconds,
        ...(req.overallRate ? { overallRate: req.overallRate } : {}),
        ...(req.uniqueIdHeader
          ? { requests: [{ setupRequest: (r: autocannon.Request) => ({ ...r, headers: { ...r.headers, [req.uniqueIdHeader!]: randomUUID() } }) }] }
          : {}),
      },
      (error: unknown, result: autocannon.Result) => {
        if (error) reject(error instanceof Error ? error : new Error(String(error)));
        else resolve({ latencies, statusCodes, result, seconds: (performance.now() - started) / 1000 });
      },
    );
    // autocannon's own histogram has no p95, so every response time is kept (at most a few 100k numbers).
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
    });
  });
}

async function runLoad(req: LoadRequest): Promise<LoadResult> {
  if (req.warmupSeconds > 0) await runPhase(req, req.warmupSeconds);
  const phase = await runPhase(req, req.durationSeconds);
  const responses = phase.latencies.length;
  return {
    responses,
    seconds: Math.round(phase.seconds * 100) / 100,
    rps: Math.round((responses / phase.seconds) * 10) / 10,
    latency: summarize(phase.latencies),
    non2xx: phase.result.non2xx,
    errors: phase.result.errors,
    timeouts: phase.result.timeouts,
    statusCodes: phase.statusCodes,
  };
}

process.once("message", (message: LoadRequest) => {
  runLoad(message).then(
    (result) => process.send?.({ ok: true, result }, () => process.exit(0)),
    (error: unknown) => process.send?.({ ok: false, error: error instanceof Error ? error.message : String(error) }, () => process.exit(1)),
  );
});
