import type { z } from "zod";
import { AppError } from "../../errors.js";
import type { Logger } from "../../logger.js";
import { assertOutboundUrl } from "../../net/outboundUrl.js";
import { classifyResponse, JiraError } from "./errors.js";

/** Supplies the Authorization header, and may renew it once when Jira answers 401. */
export interface JiraAuthorizer {
  header(signal?: AbortSignal): Promise<string>;
  /** Called with the header Jira refused; true when a fresh one is available (OAuth refresh). */
  renewAfter401?(refused: string, signal?: AbortSignal): Promise<boolean>;
}

export type QueryValue = string | number | boolean | readonly string[] | undefined;

export type JiraRequest = {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Path under the API base, e.g. `/rest/api/3/issue/SUP-1`. */
  path: string;
  query?: Record<string, QueryValue>;
  json?: unknown;
  form?: FormData;
  headers?: Record<string, string>;
  /** The job's signal: stops the call when pg-boss gives up on the run. */
  signal?: AbortSignal;
};

export type JiraTransportOptions = {
  /** Where API paths start: the site on Basic/PAT, `…/ex/jira/{cloudId}` on OAuth (resolved lazily). */
  apiBase: () => Promise<string>;
  authorizer: JiraAuthorizer;
  allowPrivateNetwork: boolean;
  timeoutMs: number;
  fetch?: typeof fetch;
  now?: () => Date;
  log?: Logger;
};

export interface JiraTransport {
  /** JSON answer checked against `schema`; 204 and empty bodies give undefined. */
  request<T>(req: JiraRequest, schema: z.ZodType<T>): Promise<T>;
  /** For operations whose answer we do not read (204, or a body we ignore). */
  send(req: JiraRequest): Promise<void>;
  /** A successful answer as it came (binary downloads); the caller reads or cancels its body. */
  raw(req: JiraRequest): Promise<Response>;
}

function buildUrl(base: string, path: string, query: Record<string, QueryValue> | undefined): string {
  const url = new URL(base.replace(/\/+$/, "") + path);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    // Jira reads list parameters (fields, properties, expand) as one comma-separated value.
    url.searchParams.set(key, Array.isArray(value) ? value.join(",") : String(value));
  }
  return url.toString();
}

/**
 * The one place the connector touches the network, so that every call has the same guards:
 * public addresses only unless the connection allows private ones (SSRF), no redirects, a
 * timeout, classified errors, and a cool-down after a 429 (or a 503 with Retry-After) so the
 * rest of this process stops calling until it has passed instead of earning longer penalties
 * (PROTOCOLS.md §1.4).
 * It does not retry by itself: retries belong to the job queue's backoff (ARCHITECTURE.md).
 */
export function createJiraTransport(options: JiraTransportOptions): JiraTransport {
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? (() => new Date());
  let coolDown: { until: number; kind: "rate_limited" | "remote_down" } = { until: 0, kind: "rate_limited" };

  async function perform(req: JiraRequest): Promise<Response> {
    const operation = `${req.method} ${req.path}`;
    const waitMs = coolDown.until - now().getTime();
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      const after = coolDown.kind === "rate_limited" ? "a 429" : "a 503 with Retry-After";
      throw new JiraError(coolDown.kind, `${operation}: still cooling down after ${after}, ${seconds} s left`, { retryAfterSeconds: seconds, operation });
    }
    const url = buildUrl(await options.apiBase(), req.path, req.query);
    try {
      await assertOutboundUrl(url, { allowPrivate: options.allowPrivateNetwork, field: "baseUrl" });
    } catch (e) {
      if (e instanceof AppError) throw new JiraError("config_invalid", `${operation}: ${e.message}`, { operation, cause: e });
      throw e;
    }
    const send = async (authorization: string) => {
      const headers: Record<string, string> = { accept: "application/json", ...req.headers, authorization };
      let body: string | FormData | undefined;
      if (req.form) body = req.form;
      else if (req.json !== undefined) {
        headers["content-type"] = "application/json";
        body = JSON.stringify(req.json);
      }
      const timeout = AbortSignal.timeout(options.timeoutMs);
      const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
      const started = performance.now();
      try {
        const res = await doFetch(url, { method: req.method, headers, body, redirect: "error", signal });
        options.log?.debug({ operation, status: res.status, ms: Math.round(performance.now() - started) }, "jira call");
        return res;
      } catch (e) {
        const why = timeout.aborted ? `no answer within ${options.timeoutMs} ms` : req.signal?.aborted ? "cancelled" : e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e);
        options.log?.debug({ operation, error: why }, "jira call failed");
        throw new JiraError("remote_down", `${operation}: ${why}`, { operation, cause: e });
      }
    };
    const authorization = await options.authorizer.header(req.signal);
    let res = await send(authorization);
    if (res.status === 401 && options.authorizer.renewAfter401) {
      await res.body?.cancel();
      if (await options.authorizer.renewAfter401(authorization, req.signal)) res = await send(await options.authorizer.header(req.signal));
    }
    if (res.ok) return res;
    const error = classifyResponse({ status: res.status, headers: res.headers, bodyText: await res.text().catch(() => ""), operation, now: now() });
    if (error.kind === "rate_limited") {
      // Without a hint, still pause briefly: hammering a limited API only lengthens the penalty.
      coolDown = { until: now().getTime() + (error.retryAfterSeconds ?? 5) * 1000, kind: "rate_limited" };
    } else if (error.status === 503 && error.retryAfterSeconds !== undefined) {
      coolDown = { until: now().getTime() + error.retryAfterSeconds * 1000, kind: "remote_down" };
    }
    throw error;
  }

  return {
    async request<T>(req: JiraRequest, schema: z.ZodType<T>): Promise<T> {
      const res = await perform(req);
      const text = await res.text();
      let body: unknown = undefined;
      if (text.trim() !== "") {
        try {
          body = JSON.parse(text);
        } catch (e) {
          throw new JiraError("remote_down", `${req.method} ${req.path}: Jira answered ${res.status} with a body that is not JSON`, { status: res.status, operation: `${req.method} ${req.path}`, cause: e });
        }
      }
      const parsed = schema.safeParse(body);
      if (!parsed.success) {
        const where = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
        throw new JiraError("bad_request", `${req.method} ${req.path}: unexpected answer from Jira (${where})`, { status: res.status, operation: `${req.method} ${req.path}` });
      }
      return parsed.data;
    },
    async send(req: JiraRequest): Promise<void> {
      const res = await perform(req);
      await res.body?.cancel();
    },
    raw: (req: JiraRequest) => perform(req),
  };
}
