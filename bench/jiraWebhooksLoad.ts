/**
 * Child-process entry for the jira-webhooks suite: POSTs signed Jira deliveries at a fixed rate with
 * autocannon and reports latencies over IPC. Each request gets its own
 * `X-Atlassian-Webhook-Identifier`, so the server stores every one (no deduplication shortcut);
 * the body and its `X-Hub-Signature` stay the same bytes, as a real sample signed once.
 */
import { randomUUID } from "node:crypto";
import autocannon from "autocannon";
import { summarize, type LatencySummary } from "./stats.js";

export type WebhookLoadRequest = { url: string; body: string; signature: string; rate: number; connections: number; durationSeconds: number; warmupSeconds: number };
export type WebhookLoadResult = { responses: number; seconds: number; rps: number; latency: LatencySummary; non2xx: number; errors: number; timeouts: number; statusCodes: Record<string, number> };

function phase(req: WebhookLoadRequest, seconds: number): Promise<{ latencies: number[]; statusCodes: Record<string, number>; result: autocannon.Result; seconds: number }> {
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: req.url,
        method: "POST",
        headers: { "content-type": "application/json; charset=utf-8", "user-agent": "Atlassian Webhook HTTP Client", "x-atlassian-webhook-flow": "Primary", "x-hub-signature": req.signature },
        body: req.body,
        connections: req.connections,
        overallRate: req.rate,
        duration: seconds,
        timeout: 10,
        requests: [
          {
            setupRequest: (r: autocannon.Request) => ({ ...r, headers: { ...r.headers, "x-atlassian-webhook-identifier": randomUUID() } }),
          },
        ],
      },
      (error: unknown, result: autocannon.Result) => {
        if (error) reject(error instanceof Error ? error : new Error(String(error)));
        else resolve({ latencies, statusCodes, result, seconds: (performance.now() - started) / 1000 });
      },
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
    });
  });
}

async function run(req: WebhookLoadRequest): Promise<WebhookLoadResult> {
  if (req.warmupSeconds > 0) await phase(req, req.warmupSeconds);
  const p = await phase(req, req.durationSeconds);
  return {
    responses: p.latencies.length,
    seconds: Math.round(p.seconds * 100) / 100,
    rps: Math.round((p.latencies.length / p.seconds) * 10) / 10,
    latency: summarize(p.latencies),
    non2xx: p.result.non2xx,
    errors: p.result.errors,
    timeouts: p.result.timeouts,
    statusCodes: p.statusCodes,
  };
}

process.once("message", (message: WebhookLoadRequest) => {
  run(message).then(
    (result) => process.send?.({ ok: true, result }, () => process.exit(0)),
    (error: unknown) => process.send?.({ ok: false, error: error instanceof Error ? error.message : String(error) }, () => process.exit(1)),
  );
});
