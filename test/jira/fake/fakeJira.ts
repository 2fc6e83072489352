import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { appHandlers, secureAttachment } from "./appHandlers.js";
import { handlers, Reject, renderUser, type Answer, type HandlerContext } from "./handlers.js";
import { FakeOAuth, type FakeOAuthOptions } from "./oauthServer.js";
import { platformSpec, serviceDeskSpec, type SpecDocument } from "./openapi.js";
import { FakeState, jiraTime, type FakeDeployment, type FakeIssue } from "./state.js";
import { delivery, readSample, type DeliveryOptions, type WebhookDelivery } from "./webhooks.js";

/**
 * A fake Jira on 127.0.0.1:<random port> for the connector's tests. It serves Cloud v3
 * (`/rest/api/3`, Basic on the site or Bearer through `/ex/jira/{cloudId}` after OAuth) or
 * Server/DC v2 (`/rest/api/2`, Basic or PAT), JSM's servicedeskapi comments, and Atlassian's
 * OAuth endpoints, all on one origin. Every request is checked against the trimmed vendor
 * OpenAPI documents and Jira's rules the documents do not encode; a request that breaks the
 * contract is answered the way Jira would (400/401/403/404/405) and listed in `violations`.
 */

export type RecordedRequest = {
  method: string;
  /** Path without the `/ex/jira/{cloudId}` gateway prefix. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  json?: unknown;
  files?: { name: string; filename: string; type: string; size: number }[];
  operationId?: string;
  via: "site" | "gateway" | "oauth";
  status: number;
  /** When it arrived (epoch ms, real time), for checking that a client waited. */
  at: number;
};

export type Violation = { request: string; problems: string[] };

export type Fault = {
  status: number;
  /** How many matching calls answer with this fault (default 1). */
  times?: number;
  retryAfter?: number | string;
  headers?: Record<string, string>;
  json?: unknown;
  /** Which calls it hits: API calls by default. */
  scope?: "api" | "oauth" | "all";
  path?: RegExp;
  /** Only calls with this method. */
  method?: string;
  /**
   * The call takes effect (the issue is created, the comment posted) and then the answer is lost:
   * the client sees this fault instead, as after a timeout or a dropped connection.
   */
  takesEffect?: boolean;
};

export type FakeJiraOptions = {
  deployment: FakeDeployment;
  /** Credentials the site accepts. */
  credentials?: { email?: string; apiToken?: string; username?: string; password?: string; pat?: string };
  oauth?: FakeOAuthOptions;
  /** Issue properties an app has declared for JQL indexing; others never match `issue.property[…]`. */
  indexedIssueProperties?: string[];
  now?: () => Date;
};

const defaultCredentials = { email: "sync@example.com", apiToken: "api-token-123", username: "syncbot", password: "s3cret-password", pat: "pat-NzQ1MjM0NTY3ODkw" };

function answerFor(res: ServerResponse, answer: Answer): void {
  const headers: Record<string, string> = { ...answer.headers };
  let body: string | undefined;
  if (answer.json !== undefined) {
    headers["content-type"] ??= "application/json;charset=UTF-8";
    body = JSON.stringify(answer.json);
  } else if (answer.text !== undefined) {
    headers["content-type"] ??= "text/plain;charset=UTF-8";
    body = answer.text;
  } else if (answer.bytes !== undefined) {
    headers["content-type"] ??= "application/octet-stream";
    res.writeHead(answer.status, headers);
    res.end(Buffer.from(answer.bytes));
    return;
  }
  res.writeHead(answer.status, headers);
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export type FakeJira = Awaited<ReturnType<typeof startFakeJira>>;

export async function startFakeJira(options: FakeJiraOptions) {
  const now = options.now ?? (() => new Date());
  const deployment = options.deployment;
  const credentials = { ...defaultCredentials, ...options.credentials };
  const state = new FakeState(now);
  const requests: RecordedRequest[] = [];
  const violations: Violation[] = [];
  const responseViolations: Violation[] = [];
  const faults: (Fault & { left: number })[] = [];
  const cloudId = randomUUID();
  const siteUrl = "https://switchboard-fake.atlassian.net";
  const oauth = options.oauth ? new FakeOAuth(options.oauth, now, { cloudId, url: siteUrl, name: "switchboard-fake" }) : undefined;
  let origin = "";

  const violate = (request: string, problems: string[]) => {
    if (problems.length > 0) violations.push({ request, problems });
  };

  function takeFault(kind: "api" | "oauth", path: string, method: string): Fault | undefined {
    const i = faults.findIndex((f) => (f.scope ?? "api") !== (kind === "api" ? "oauth" : "api") && (!f.path || f.path.test(path)) && (!f.method || f.method === method));
    if (i < 0) return undefined;
    const fault = faults[i]!;
    if (--fault.left <= 0) faults.splice(i, 1);
    return fault;
  }

  function faultAnswer(fault: Fault): Answer {
    const headers: Record<string, string> = { ...fault.headers };
    if (fault.retryAfter !== undefined) headers["retry-after"] = String(fault.retryAfter);
    const json = fault.json ?? (fault.status === 429 ? { errorMessages: ["Rate limit exceeded."] } : fault.status >= 500 ? { errorMessages: ["fake Jira: injected server error"] } : { errorMessages: [`fake Jira: injected ${fault.status}`] });
    return { status: fault.status, json, headers };
  }

  /** Which credentials this request carries, checked against what this entry point accepts. */
  function authenticate(via: "site" | "gateway", authorization: string | undefined): { ok: true } | { ok: false; answer: Answer; contract: string[] } {
    const unauthorized = (contract: string[] = []) => ({ ok: false as const, answer: { status: 401, json: { errorMessages: ["You are not authenticated. Authentication required to perform this operation."], errors: {} } }, contract });
    if (!authorization) return unauthorized(["no Authorization header"]);
    const [scheme, value = ""] = authorization.split(/\s+/, 2);
    if (via === "gateway") {
      if (scheme !== "Bearer") return unauthorized([`api.atlassian.com takes OAuth Bearer tokens, got ${scheme}`]);
      const check = oauth?.checkAccessToken(value) ?? "unknown";
      return check === "ok" ? { ok: true } : { ok: false, answer: { status: 401, json: { code: 401, message: "Unauthorized; scope does not match" } }, contract: [] };
    }
    if (scheme === "Basic") {
      const decoded = Buffer.from(value, "base64").toString("utf8");
      const expected = deployment === "cloud" ? `${credentials.email}:${credentials.apiToken}` : `${credentials.username}:${credentials.password}`;
      return decoded === expected ? { ok: true } : unauthorized();
    }
    if (scheme === "Bearer") {
      if (deployment === "cloud") return unauthorized(["the Cloud site takes Basic email:api_token; OAuth tokens go through api.atlassian.com/ex/jira/{cloudId}"]);
      return value === credentials.pat ? { ok: true } : unauthorized();
    }
    return unauthorized([`unsupported Authorization scheme ${scheme}`]);
  }

  /** Maps a request path to the spec document and the path as that document spells it. */
  function specFor(path: string): { doc: SpecDocument; specPath: string } | { error: string } {
    if (path.startsWith("/rest/servicedeskapi/")) return { doc: serviceDeskSpec(), specPath: path };
    if (deployment === "cloud") {
      if (path.startsWith("/rest/api/2/")) return { error: "the connector must use REST v3 on Cloud" };
      if (/^\/rest\/api\/3\/search\/?$/.test(path)) return { error: "/rest/api/3/search was removed from Jira Cloud; use /rest/api/3/search/jql" };
      if (path.startsWith("/rest/api/3/")) return { doc: platformSpec(), specPath: path };
    } else {
      if (path.startsWith("/rest/api/3/")) return { error: "Jira Server/DC has no REST v3; use /rest/api/2" };
      if (path.startsWith("/rest/api/2/search/jql")) return { error: "/search/jql is Cloud-only; DC searches with /rest/api/2/search" };
      if (path.startsWith("/rest/api/2/")) return { doc: platformSpec(), specPath: `/rest/api/3/${path.slice("/rest/api/2/".length)}` };
    }
    return { error: `no Jira API at ${path}` };
  }

  async function api(req: IncomingMessage, path: string, url: URL, via: "site" | "gateway", raw: Buffer, record: RecordedRequest): Promise<Answer> {
    const label = `${req.method} ${path}`;
    const target = specFor(path);
    if ("error" in target) {
      violate(label, [target.error]);
      return { status: 404, json: { errorMessages: [`fake Jira: ${target.error}`], errors: {} } };
    }
    const matched = target.doc.match(req.method ?? "GET", target.specPath);
    if ("error" in matched) {
      const why = matched.error === "no_path" ? `no operation at ${target.specPath} in ${target.doc.name}` : `${req.method} is not allowed on ${target.specPath}`;
      violate(label, [why]);
      return { status: matched.error === "no_path" ? 404 : 405, json: { errorMessages: [`fake Jira: ${why}`], errors: {} } };
    }
    const { operation } = matched.operation;
    record.operationId = operation.operationId;
    const auth = authenticate(via, req.headers.authorization);
    if (!auth.ok) {
      violate(label, auth.contract);
      return auth.answer;
    }
    const problems = target.doc.validateQuery(operation, url.searchParams);
    const contentType = String(req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    let json: unknown;
    let form: FormData | undefined;
    if (operation.requestBody) {
      const accepted = Object.keys(operation.requestBody.content);
      if (raw.length === 0) {
        if (operation.requestBody.required) problems.push(`${operation.operationId} requires a request body`);
      } else if (!accepted.includes(contentType)) {
        problems.push(`Content-Type ${contentType || "(none)"} is not accepted; use ${accepted.join(" or ")}`);
      } else if (contentType === "application/json") {
        try {
          json = JSON.parse(raw.toString("utf8"));
        } catch {
          problems.push("the body is not valid JSON");
        }
        if (json !== undefined) problems.push(...target.doc.validate(operation.requestBody.content[contentType]!.schema, json, "request"));
      } else if (contentType === "multipart/form-data") {
        form = await new Request("http://fake.invalid/", { method: "POST", headers: { "content-type": String(req.headers["content-type"]) }, body: new Uint8Array(raw) }).formData();
        record.files = [...form.entries()].map(([name, v]) => (typeof v === "string" ? { name, filename: "", type: "text/plain", size: v.length } : { name, filename: v.name, type: v.type, size: v.size }));
      }
    } else if (raw.length > 0) {
      problems.push(`${operation.operationId} takes no request body`);
    }
    record.json = json;
    if (problems.length > 0) {
      violate(label, problems);
      return target.doc === serviceDeskSpec()
        ? { status: 400, json: { errorMessage: problems.join("; "), i18nErrorMessage: { i18nKey: "fake.invalid", parameters: [] } } }
        : { status: 400, json: { errorMessages: problems, errors: {} } };
    }
    const handler = handlers[operation.operationId] ?? appHandlers[operation.operationId];
    if (!handler) {
      violate(label, [`the fake does not implement ${operation.operationId}`]);
      return { status: 501, json: { errorMessages: [`fake Jira: ${operation.operationId} is not implemented`] } };
    }
    const version = deployment === "cloud" ? "3" : "2";
    const prefix = via === "gateway" ? `${origin}/ex/jira/${cloudId}` : origin;
    const ctx: HandlerContext = {
      deployment,
      state,
      params: matched.params,
      query: url.searchParams,
      json,
      form,
      headers: req.headers,
      apiBase: `${prefix}/rest/api/${version}`,
      siteBase: deployment === "cloud" && via === "gateway" ? siteUrl : origin,
      indexedIssueProperties: options.indexedIssueProperties ?? [],
      via,
      origin,
    };
    let answer: Answer;
    try {
      answer = await handler(ctx);
    } catch (e) {
      if (!(e instanceof Reject)) throw e;
      violate(label, e.contract);
      answer = e.answer;
    }
    const declared = operation.responses[String(answer.status)];
    if (answer.json !== undefined && declared?.content) {
      const schema = Object.values(declared.content)[0]?.schema;
      const wrong = target.doc.validate(schema, answer.json, "response");
      if (wrong.length > 0) responseViolations.push({ request: label, problems: wrong });
    }
    return answer;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", origin);
    const raw = await readBody(req);
    const gateway = /^\/ex\/jira\/([^/]+)(\/.*)$/.exec(url.pathname);
    const isOAuth = url.pathname === "/oauth/token" || url.pathname === "/authorize" || url.pathname === "/oauth/token/accessible-resources";
    const path = gateway ? gateway[2]! : url.pathname;
    const via: RecordedRequest["via"] = isOAuth ? "oauth" : gateway ? "gateway" : "site";
    const record: RecordedRequest = { method: req.method ?? "GET", path, query: url.searchParams, headers: req.headers, via, status: 0, at: Date.now() };
    requests.push(record);
    let answer: Answer;
    const fault = takeFault(isOAuth ? "oauth" : "api", path, req.method ?? "GET");
    if (fault?.takesEffect && !isOAuth) {
      await api(req, path, url, gateway ? "gateway" : "site", raw, record);
      answer = faultAnswer(fault);
    } else if (fault) answer = faultAnswer(fault);
    else if (isOAuth) {
      if (!oauth || deployment !== "cloud") answer = { status: 404, text: "OAuth is not configured on this fake" };
      else if (url.pathname === "/authorize" && req.method === "GET") answer = oauth.authorize(url.searchParams);
      else if (url.pathname === "/oauth/token" && req.method === "POST") answer = oauth.token(String(req.headers["content-type"] ?? ""), raw.toString("utf8"));
      else if (url.pathname === "/oauth/token/accessible-resources" && req.method === "GET") answer = oauth.accessibleResources(req.headers.authorization);
      else answer = { status: 405, text: "method not allowed" };
    } else if (!gateway && url.pathname.startsWith("/secure/attachment/")) {
      // The download servlet behind an attachment's `content` link: not a REST operation, so not in the spec.
      answer = secureAttachment(state, url.pathname, authenticate("site", req.headers.authorization).ok);
    } else if (gateway && (deployment !== "cloud" || gateway[1] !== cloudId)) {
      violate(`${req.method} ${url.pathname}`, [deployment === "cloud" ? `unknown cloud id ${gateway[1]}` : "Server/DC is not reached through api.atlassian.com"]);
      answer = { status: 404, json: { errorMessages: ["Site not found"], errors: {} } };
    } else {
      answer = await api(req, path, url, gateway ? "gateway" : "site", raw, record);
    }
    record.status = answer.status;
    answerFor(res, answer);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      responseViolations.push({ request: `${req.method} ${req.url}`, problems: [`fake crashed: ${e instanceof Error ? e.stack : String(e)}`] });
      if (!res.headersSent) answerFor(res, { status: 500, json: { errorMessages: ["fake Jira crashed"] } });
      else res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  /**
   * The issue as webhooks carry it: `/rest/api/2` links like the captures, and rich text as
   * stored — a wiki string on DC, ADF on Cloud (the v3-shaped payload issue #5 asks us to accept).
   */
  function webhookIssue(issue: FakeIssue): Record<string, unknown> {
    const ctx = { deployment, apiBase: `${siteUrl}/rest/api/2` };
    const status = state.status(issue.statusId)!;
    return {
      id: issue.id,
      self: `${siteUrl}/rest/api/2/issue/${issue.id}`,
      key: issue.key,
      fields: {
        summary: issue.summary,
        description: issue.description ?? null,
        status: { self: `${siteUrl}/rest/api/2/status/${status.id}`, name: status.name, id: status.id, statusCategory: status.category },
        priority: { id: issue.priorityId, name: state.priorities.find((p) => p.id === issue.priorityId)?.name },
        project: { id: state.project.id, key: state.project.key, name: state.project.name },
        labels: issue.labels,
        assignee: issue.assignee ? renderUser(ctx, issue.assignee) : null,
        created: jiraTime(issue.created),
        updated: jiraTime(issue.updated),
      },
    };
  }

  return {
    url: origin,
    siteUrl,
    cloudId,
    deployment,
    credentials,
    state,
    oauth,
    requests,
    violations,
    responseViolations,

    /** The next `times` matching calls answer with this status (429 with Retry-After, 401, 404, 5xx…). */
    failNext(fault: Fault): void {
      faults.push({ ...fault, left: fault.times ?? 1 });
    },

    /** API calls only (not OAuth), for assertions. */
    apiCalls(operationId?: string): RecordedRequest[] {
      return requests.filter((r) => r.via !== "oauth" && (!operationId || r.operationId === operationId));
    },

    reset(): void {
      requests.length = 0;
      violations.length = 0;
      responseViolations.length = 0;
      faults.length = 0;
    },

    /** A stored sample, as delivered by Jira (headers added; `X-Hub-Signature` when a secret is given). */
    sampleDelivery(name: Parameters<typeof readSample>[0], opts: DeliveryOptions = {}): WebhookDelivery {
      return delivery(readSample(name), opts);
    },

    /**
     * A `jira:issue_updated` for an issue of this fake, built on the captured sample's envelope,
     * with the given changelog items.
     */
    issueUpdatedDelivery(key: string, items: Record<string, unknown>[], opts: DeliveryOptions & { eventType?: string } = {}): WebhookDelivery {
      const issue = state.findIssue(key);
      if (!issue) throw new Error(`no issue ${key}`);
      const envelope = JSON.parse(readSample("jira-webhook-issue-updated-resolved")) as Record<string, unknown>;
      const body = {
        ...envelope,
        timestamp: now().getTime(),
        issue_event_type_name: opts.eventType ?? "issue_generic",
        user: renderUser({ deployment, apiBase: `${siteUrl}/rest/api/2` }, state.actor),
        issue: webhookIssue(issue),
        changelog: { id: String(Date.now()), items },
      };
      return delivery(JSON.stringify(body), opts);
    },

    /** A `comment_*` event for one of this fake's comments, on the captured Cloud envelope. */
    commentDelivery(kind: "comment_created" | "comment_updated" | "comment_deleted", key: string, commentId: string, opts: DeliveryOptions = {}): WebhookDelivery {
      const issue = state.findIssue(key);
      const comment = issue?.comments.find((c) => c.id === commentId);
      if (!issue || !comment) throw new Error(`no comment ${commentId} on ${key}`);
      const ctx = { deployment, apiBase: `${siteUrl}/rest/api/2` };
      const body = {
        timestamp: now().getTime(),
        webhookEvent: kind,
        comment: {
          self: `${siteUrl}/rest/api/2/issue/${issue.id}/comment/${comment.id}`,
          id: comment.id,
          author: renderUser(ctx, comment.author),
          body: comment.body,
          updateAuthor: renderUser(ctx, comment.author),
          created: jiraTime(comment.created),
          updated: jiraTime(comment.updated),
          jsdPublic: comment.jsdPublic,
        },
        issue: webhookIssue(issue),
      };
      return delivery(JSON.stringify(body), opts);
    },

    close(): Promise<void> {
      return new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      });
    },
  };
}
