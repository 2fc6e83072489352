import { z } from "zod";
import type { Logger } from "../../logger.js";
import { connectionAccess, type JiraAuthDeps } from "./auth.js";
import { createExtraOps, type JiraExtraOps } from "./clientExtras.js";
import type { JiraConnection, JiraDeployment } from "./config.js";
import { JiraError } from "./errors.js";
import { markdownToJira, markdownToWiki } from "./text.js";
import { createJiraTransport, type JiraTransport } from "./transport.js";
import {
  ZAttachment,
  ZCommentPage,
  ZCreatedIssue,
  ZCreateField,
  ZEntityProperty,
  ZIssueType,
  ZJiraComment,
  ZJiraIssue,
  ZJiraStatus,
  ZJiraUser,
  ZProject,
  ZServerInfo,
  ZServiceDeskComment,
  ZTransitions,
  type CreatedIssue,
  type JiraAttachment,
  type JiraComment,
  type JiraCreateField,
  type JiraIssue,
  type JiraIssueType,
  type JiraProject,
  type JiraServerInfo,
  type JiraTransition,
  type JiraUser,
  type ServiceDeskComment,
  type StatusCategoryKey,
} from "./types.js";

/** A create-issue body (IssueUpdateDetails), already in the deployment's rich-text format. */
export type CreateIssuePayload = {
  fields: Record<string, unknown>;
  properties?: { key: string; value: unknown }[];
  update?: Record<string, unknown>;
};

/** A workflow status as a mapping may name it: by id, with its category (never matched by name). */
export type JiraStatusDetails = { id: string; name: string; categoryKey: string };

export type SearchPage = { issues: JiraIssue[]; nextPageToken: string | null };

/** Our marker on an issue we created, so a retried create finds it instead of making another. */
export type IssueMarker = { projectKey: string; label: string; propertyKey: string; ticketId: string };

/** A status to reach: by id, or by category when any status of that category will do. */
export type StatusTarget = { statusId: string } | { categoryKey: StatusCategoryKey };

export type CallOptions = { signal?: AbortSignal };

/**
 * Jira as the connector needs it, the same for Cloud (REST v3, ADF) and Server/DC (REST v2,
 * wiki markup). Text goes in as Markdown; the client picks the format. Every failure is a
 * JiraError with a kind (errors.ts).
 */
export interface JiraClient extends JiraExtraOps {
  readonly deployment: JiraDeployment;
  serverInfo(o?: CallOptions): Promise<JiraServerInfo>;
  myself(o?: CallOptions): Promise<JiraUser>;
  getProject(projectKey: string, o?: CallOptions): Promise<JiraProject>;
  /** Issue types that can be created in the project (createmeta). */
  listIssueTypes(projectKey: string, o?: CallOptions): Promise<JiraIssueType[]>;
  /** Every status of the project's workflows, by issue type, for checking a status mapping. */
  listProjectStatuses(projectKey: string, o?: CallOptions): Promise<JiraStatusDetails[]>;
  /** Fields on the create screen of one issue type (createmeta), for checking a mapping. */
  listCreateFields(projectKey: string, issueTypeId: string, o?: CallOptions): Promise<JiraCreateField[]>;
  createIssue(payload: CreateIssuePayload, o?: CallOptions): Promise<CreatedIssue>;
  getIssue(idOrKey: string, options?: CallOptions & { fields?: string[]; properties?: string[] }): Promise<JiraIssue>;
  /** `fields` are raw Jira field values; use `markdownFor` for rich text. */
  editIssue(idOrKey: string, fields: Record<string, unknown>, o?: CallOptions): Promise<void>;
  /** One page; `fields` must be listed (Cloud's /search/jql returns only ids otherwise). */
  search(input: { jql: string; fields: string[]; properties?: string[]; maxResults?: number; pageToken?: string | null }, o?: CallOptions): Promise<SearchPage>;
  findIssueByMarker(marker: IssueMarker, o?: CallOptions): Promise<JiraIssue | null>;
  /** A platform comment. `internal` sets JSM's `sd.public.comment` property (PROTOCOLS.md §1.6 option B). */
  addComment(idOrKey: string, input: { markdown: string; internal?: boolean }, o?: CallOptions): Promise<JiraComment>;
  /** A JSM request comment (option A): a wiki string with an explicit `public` flag. */
  addServiceDeskComment(idOrKey: string, input: { markdown: string; public: boolean }, o?: CallOptions): Promise<ServiceDeskComment>;
  listComments(idOrKey: string, o?: CallOptions): Promise<JiraComment[]>;
  updateComment(idOrKey: string, commentId: string, markdown: string, o?: CallOptions): Promise<JiraComment>;
  deleteComment(idOrKey: string, commentId: string, o?: CallOptions): Promise<void>;
  getTransitions(idOrKey: string, o?: CallOptions): Promise<JiraTransition[]>;
  transition(idOrKey: string, transitionId: string, options?: CallOptions & { fields?: Record<string, unknown> }): Promise<void>;
  /** Takes the first available transition into the target; null when the workflow offers none. */
  transitionTo(idOrKey: string, target: StatusTarget, o?: CallOptions): Promise<JiraTransition | null>;
  addAttachment(idOrKey: string, file: { filename: string; contentType: string; data: Uint8Array }, o?: CallOptions): Promise<JiraAttachment[]>;
  setIssueProperty(idOrKey: string, propertyKey: string, value: unknown, o?: CallOptions): Promise<void>;
  /** `found: false` also when the issue itself is missing: Jira answers 404 for both. */
  getIssueProperty(idOrKey: string, propertyKey: string, o?: CallOptions): Promise<{ found: true; value: unknown } | { found: false }>;
  /** Markdown in this deployment's rich-text format (ADF or wiki), for `editIssue`. */
  markdownFor(markdown: string): unknown;
}

export type JiraClientDeps = JiraAuthDeps & { log?: Logger };

/** A JQL string literal. */
export function jqlString(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

const seg = (value: string) => encodeURIComponent(value);

/**
 * Why not jira.js: version 6 is Cloud-only (its Version2Client is gone and string bodies are
 * written through v2 then read back through v3, which DC does not have), it validates answers
 * against its own copy of the schemas, and its transport retries on its own. We need one code
 * path for Cloud and DC behind our SSRF guard, timeouts and Retry-After handling, and use about
 * twenty operations, so a thin client over `fetch` is smaller than adapting it.
 */
export function createJiraClient(connection: JiraConnection, deps: JiraClientDeps = {}): JiraClient {
  const access = connectionAccess(connection, deps);
  const transport: JiraTransport = createJiraTransport({
    apiBase: access.apiBase,
    authorizer: access.authorizer,
    allowPrivateNetwork: connection.allowPrivateNetwork,
    timeoutMs: connection.timeoutMs,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...(deps.now ? { now: deps.now } : {}),
    ...(deps.log ? { log: deps.log } : {}),
  });
  const deployment = connection.deployment;
  const api = deployment === "cloud" ? "/rest/api/3" : "/rest/api/2";
  const issuePath = (idOrKey: string) => `${api}/issue/${seg(idOrKey)}`;

  const client: JiraClient = {
    deployment,
    markdownFor: (markdown) => markdownToJira(markdown, deployment),
    ...createExtraOps({ transport, deployment, api, getIssue: (idOrKey, o) => client.getIssue(idOrKey, o) }),

    serverInfo: (o = {}) => transport.request({ method: "GET", path: `${api}/serverInfo`, ...o }, ZServerInfo),
    myself: (o = {}) => transport.request({ method: "GET", path: `${api}/myself`, ...o }, ZJiraUser),
    getProject: (projectKey, o = {}) => transport.request({ method: "GET", path: `${api}/project/${seg(projectKey)}`, ...o }, ZProject),

    async listIssueTypes(projectKey, o = {}) {
      // Cloud names the list `issueTypes`; DC `values` (unverified against a live DC, so read both).
      const page = await transport.request(
        { method: "GET", path: `${api}/issue/createmeta/${seg(projectKey)}/issuetypes`, query: { maxResults: 200 }, ...o },
        z.object({ issueTypes: z.array(ZIssueType).optional(), values: z.array(ZIssueType).optional() }).loose(),
      );
      return page.issueTypes ?? page.values ?? [];
    },

    async listProjectStatuses(projectKey, o = {}) {
      const byType = await transport.request(
        { method: "GET", path: `${api}/project/${seg(projectKey)}/statuses`, ...o },
        z.array(z.object({ id: z.string(), name: z.string().optional(), statuses: z.array(ZJiraStatus).default([]) }).loose()),
      );
      const unique = new Map<string, JiraStatusDetails>();
      for (const type of byType) for (const s of type.statuses) unique.set(s.id, { id: s.id, name: s.name ?? "", categoryKey: s.statusCategory?.key ?? "" });
      return [...unique.values()];
    },

    async listCreateFields(projectKey, issueTypeId, o = {}) {
      const page = await transport.request(
        { method: "GET", path: `${api}/issue/createmeta/${seg(projectKey)}/issuetypes/${seg(issueTypeId)}`, query: { maxResults: 200 }, ...o },
        z.object({ fields: z.array(ZCreateField).optional(), results: z.array(ZCreateField).optional(), values: z.array(ZCreateField).optional() }).loose(),
      );
      return page.fields ?? page.results ?? page.values ?? [];
    },

    createIssue: (payload, o = {}) => transport.request({ method: "POST", path: `${api}/issue`, json: payload, ...o }, ZCreatedIssue),

    getIssue: (idOrKey, options = {}) =>
      transport.request(
        {
          method: "GET",
          path: issuePath(idOrKey),
          query: { fields: options.fields, properties: options.properties },
          ...(options.signal ? { signal: options.signal } : {}),
        },
        ZJiraIssue,
      ),

    editIssue: (idOrKey, fields, o = {}) => transport.send({ method: "PUT", path: issuePath(idOrKey), json: { fields }, ...o }),

    async search(input, o = {}) {
      const maxResults = input.maxResults ?? 50;
      if (deployment === "cloud") {
        // The old /search is gone from Cloud (PROTOCOLS.md §1.2): token paging, no totals.
        const page = await transport.request(
          {
            method: "POST",
            path: `${api}/search/jql`,
            json: {
              jql: input.jql,
              fields: input.fields,
              maxResults,
              ...(input.properties?.length ? { properties: input.properties } : {}),
              ...(input.pageToken ? { nextPageToken: input.pageToken } : {}),
            },
            ...o,
          },
          z.object({ issues: z.array(ZJiraIssue).default([]), nextPageToken: z.string().optional() }).loose(),
        );
        return { issues: page.issues, nextPageToken: page.nextPageToken ?? null };
      }
      const startAt = input.pageToken ? Number(input.pageToken) : 0;
      if (!Number.isInteger(startAt) || startAt < 0) throw new JiraError("bad_request", `not a page token from this client: ${input.pageToken}`);
      const page = await transport.request(
        {
          method: "POST",
          path: `${api}/search`,
          json: { jql: input.jql, fields: input.fields, startAt, maxResults, ...(input.properties?.length ? { properties: input.properties } : {}) },
          ...o,
        },
        z.object({ issues: z.array(ZJiraIssue).default([]), startAt: z.number().optional(), total: z.number().optional() }).loose(),
      );
      const next = startAt + page.issues.length;
      return { issues: page.issues, nextPageToken: page.issues.length > 0 && page.total !== undefined && next < page.total ? String(next) : null };
    },

    async findIssueByMarker(marker, o = {}) {
      // Labels are searchable on every site; an issue property is only searchable when an app
      // indexes it, which an API token or 3LO app cannot declare. So search by label and use
      // the property to confirm the ticket.
      const page = await client.search(
        {
          jql: `project = ${jqlString(marker.projectKey)} AND labels = ${jqlString(marker.label)} ORDER BY created ASC`,
          fields: ["summary", "status", "labels", "created", "updated"],
          properties: [marker.propertyKey],
          maxResults: 10,
        },
        o,
      );
      const confirmed = page.issues.find((issue) => {
        const value = issue.properties?.[marker.propertyKey];
        return typeof value === "object" && value !== null && (value as { ticketId?: unknown }).ticketId === marker.ticketId;
      });
      return confirmed ?? page.issues[0] ?? null;
    },

    addComment: (idOrKey, input, o = {}) =>
      transport.request(
        {
          method: "POST",
          path: `${issuePath(idOrKey)}/comment`,
          json: {
            body: markdownToJira(input.markdown, deployment),
            ...(input.internal ? { properties: [{ key: "sd.public.comment", value: { internal: true } }] } : {}),
          },
          ...o,
        },
        ZJiraComment,
      ),

    addServiceDeskComment: (idOrKey, input, o = {}) =>
      transport.request(
        { method: "POST", path: `/rest/servicedeskapi/request/${seg(idOrKey)}/comment`, json: { body: markdownToWiki(input.markdown), public: input.public }, ...o },
        ZServiceDeskComment,
      ),

    async listComments(idOrKey, o = {}) {
      const all: JiraComment[] = [];
      for (let startAt = 0; ; ) {
        const page = await transport.request({ method: "GET", path: `${issuePath(idOrKey)}/comment`, query: { startAt, maxResults: 100, orderBy: "created" }, ...o }, ZCommentPage);
        all.push(...page.comments);
        startAt += page.comments.length;
        if (page.comments.length === 0 || page.total === undefined || startAt >= page.total) return all;
      }
    },

    updateComment: (idOrKey, commentId, markdown, o = {}) =>
      transport.request({ method: "PUT", path: `${issuePath(idOrKey)}/comment/${seg(commentId)}`, json: { body: markdownToJira(markdown, deployment) }, ...o }, ZJiraComment),

    deleteComment: (idOrKey, commentId, o = {}) => transport.send({ method: "DELETE", path: `${issuePath(idOrKey)}/comment/${seg(commentId)}`, ...o }),

    async getTransitions(idOrKey, o = {}) {
      return (await transport.request({ method: "GET", path: `${issuePath(idOrKey)}/transitions`, ...o }, ZTransitions)).transitions;
    },

    transition: (idOrKey, transitionId, options = {}) =>
      transport.send({
        method: "POST",
        path: `${issuePath(idOrKey)}/transitions`,
        json: { transition: { id: transitionId }, ...(options.fields ? { fields: options.fields } : {}) },
        ...(options.signal ? { signal: options.signal } : {}),
      }),

    async transitionTo(idOrKey, target, o = {}) {
      const transitions = (await client.getTransitions(idOrKey, o)).filter((t) => t.isAvailable !== false);
      const match =
        "statusId" in target
          ? transitions.find((t) => t.to?.id === target.statusId)
          : transitions.find((t) => t.to?.statusCategory?.key === target.categoryKey);
      if (!match) return null;
      await client.transition(idOrKey, match.id, o);
      return match;
    },

    async addAttachment(idOrKey, file, o = {}) {
      const form = new FormData();
      form.append("file", new Blob([new Uint8Array(file.data)], { type: file.contentType }), file.filename);
      // Without this header Jira's XSRF filter blocks the upload (addAttachment's description).
      return transport.request({ method: "POST", path: `${issuePath(idOrKey)}/attachments`, form, headers: { "x-atlassian-token": "no-check" }, ...o }, z.array(ZAttachment));
    },

    setIssueProperty: (idOrKey, propertyKey, value, o = {}) =>
      transport.send({ method: "PUT", path: `${issuePath(idOrKey)}/properties/${seg(propertyKey)}`, json: value, ...o }),

    async getIssueProperty(idOrKey, propertyKey, o = {}) {
      try {
        const property = await transport.request({ method: "GET", path: `${issuePath(idOrKey)}/properties/${seg(propertyKey)}`, ...o }, ZEntityProperty);
        return { found: true, value: property.value };
      } catch (e) {
        if (e instanceof JiraError && e.kind === "not_found") return { found: false };
        throw e;
      }
    },
  };
  return client;
}
