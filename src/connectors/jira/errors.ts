/**
 * What went wrong talking to Jira, in the classes DESIGN.md §7 acts on: rate-limited and
 * remote-down retry with backoff; auth-failed, mapping-invalid and config-invalid pause the
 * connection; not-found unlinks; bad-request marks the one link as errored.
 */
export const jiraErrorKinds = [
  "rate_limited",
  "remote_down",
  "auth_failed",
  "not_found",
  "mapping_invalid",
  "bad_request",
  "config_invalid",
] as const;
export type JiraErrorKind = (typeof jiraErrorKinds)[number];

export type JiraErrorDetails = {
  /** HTTP status, absent when no response arrived (timeout, refused connection, blocked address). */
  status?: number;
  /** Seconds to wait before the next call, from Retry-After or X-RateLimit-Reset. */
  retryAfterSeconds?: number;
  /** Jira's own messages (`errorMessages`, JSM `errorMessage`, OAuth `error_description`). */
  messages?: string[];
  /** Jira's per-field errors (`errors: { customfield_10001: "…" }`), the usual sign of a bad mapping. */
  fieldErrors?: Record<string, string>;
  /** Operation, for logs: `POST /rest/api/3/issue`. Never carries credentials. */
  operation?: string;
  cause?: unknown;
};

export class JiraError extends Error {
  readonly status: number | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly messages: string[];
  readonly fieldErrors: Record<string, string>;
  readonly operation: string | undefined;

  constructor(
    readonly kind: JiraErrorKind,
    message: string,
    details: JiraErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "JiraError";
    this.status = details.status;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.messages = details.messages ?? [];
    this.fieldErrors = details.fieldErrors ?? {};
    this.operation = details.operation;
  }

  /** Worth trying again later without anyone changing anything. */
  get retryable(): boolean {
    return this.kind === "rate_limited" || this.kind === "remote_down";
  }

  /** Every call on this connection will fail the same way until an admin acts. */
  get pausesConnection(): boolean {
    return this.kind === "auth_failed" || this.kind === "mapping_invalid" || this.kind === "config_invalid";
  }
}

export function isJiraError(e: unknown): e is JiraError {
  return e instanceof JiraError;
}

/**
 * Seconds to wait, from `Retry-After` (seconds or an HTTP date) or else Jira's
 * `X-RateLimit-Reset` (an ISO timestamp), per PROTOCOLS.md §1.4. Undefined when neither is usable.
 */
export function retryAfterSeconds(headers: Headers, now: Date): number | undefined {
  const retryAfter = headers.get("retry-after")?.trim();
  if (retryAfter) {
    if (/^\d+$/.test(retryAfter)) return Number(retryAfter);
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
  }
  const reset = headers.get("x-ratelimit-reset")?.trim();
  if (reset) {
    const at = Date.parse(reset);
    if (!Number.isNaN(at)) return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
  }
  return undefined;
}

type ErrorBody = { messages: string[]; fieldErrors: Record<string, string> };

/** Reads the three error shapes Jira answers with: platform ErrorCollection, JSM ErrorResponse, OAuth error. */
export function readErrorBody(text: string): ErrorBody {
  const out: ErrorBody = { messages: [], fieldErrors: {} };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    // Some gateways and the XSRF filter answer in text or HTML; keep a short, single-line excerpt.
    const excerpt = text.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim().slice(0, 200);
    if (excerpt) out.messages.push(excerpt);
    return out;
  }
  if (typeof body !== "object" || body === null) return out;
  const record = body as Record<string, unknown>;
  if (Array.isArray(record.errorMessages)) {
    out.messages.push(...record.errorMessages.filter((m): m is string => typeof m === "string"));
  }
  if (typeof record.errors === "object" && record.errors !== null && !Array.isArray(record.errors)) {
    for (const [field, message] of Object.entries(record.errors)) {
      if (typeof message === "string") out.fieldErrors[field] = message;
    }
  }
  for (const key of ["errorMessage", "error_description", "message"] as const) {
    if (typeof record[key] === "string") out.messages.push(record[key]);
  }
  if (out.messages.length === 0 && typeof record.error === "string") out.messages.push(record.error);
  return out;
}

/** Turns a non-2xx answer into its class. */
export function classifyResponse(input: { status: number; headers: Headers; bodyText: string; operation: string; now: Date }): JiraError {
  const { status, headers, operation } = input;
  const { messages, fieldErrors } = readErrorBody(input.bodyText);
  const retryAfter = retryAfterSeconds(headers, input.now);
  const said = [...messages, ...Object.entries(fieldErrors).map(([f, m]) => `${f}: ${m}`)].join("; ");
  const details: JiraErrorDetails = { status, messages, fieldErrors, operation, ...(retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter }) };
  const explain = (what: string) => `${operation}: ${what}${said ? ` (Jira said: ${said})` : ""}`;
  if (status === 429) return new JiraError("rate_limited", explain(`rate limited${retryAfter === undefined ? "" : `, retry after ${retryAfter} s`}`), details);
  if (status === 401) return new JiraError("auth_failed", explain("Jira refused the credentials (401)"), details);
  if (status === 403) return new JiraError("auth_failed", explain("the Jira user lacks a permission for this (403)"), details);
  if (status === 404) return new JiraError("not_found", explain("not found (404)"), details);
  if (status === 408 || status >= 500) return new JiraError("remote_down", explain(`Jira answered ${status}`), details);
  // 400 naming fields, or 422, means our payload does not fit this Jira's configuration:
  // the mapping must change, retrying the same request cannot help.
  if (status === 422 || (status === 400 && Object.keys(fieldErrors).length > 0)) {
    return new JiraError("mapping_invalid", explain(`Jira refused the fields (${status})`), details);
  }
  return new JiraError("bad_request", explain(`Jira refused the request (${status})`), details);
}
