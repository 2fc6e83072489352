import { Reject, renderIssue, type Answer, type Handler, type HandlerContext } from "./handlers.js";
import type { FakeState } from "./state.js";

/**
 * The fake's operations for inbound attachments (content download), the full pass for deleted
 * issues (bulk fetch) and OAuth apps' dynamic webhooks, kept apart from handlers.ts. Behaviour
 * follows the operations' descriptions in the trimmed spec: content answers 303 to a download URL
 * unless `redirect=false`; bulk fetch silently leaves out issues that do not exist; webhook
 * operations are for OAuth (and Connect) apps only, registrations expire after 30 days, refresh
 * ignores unknown ids, and the list hides expired ones.
 */

const DAY_MS = 24 * 3600_000;
export const WEBHOOK_LIFETIME_MS = 30 * DAY_MS;

/** The events a dynamic webhook may subscribe to (the spec's enum; attachment events are not among them). */
const dynamicEvents = new Set(["jira:issue_created", "jira:issue_updated", "jira:issue_deleted", "comment_created", "comment_updated", "comment_deleted", "issue_property_set", "issue_property_deleted"]);
/** JQL fields a dynamic webhook's filter may use (PROTOCOLS.md §2.1). */
const filterFields = new Set(["issuekey", "project", "issuetype", "status", "assignee", "reporter"]);

const jiraErrors = (status: number, errorMessages: string[]): Answer => ({ status, json: { errorMessages, errors: {} } });

function appsOnly(ctx: HandlerContext): void {
  if (ctx.via !== "gateway") {
    const why = "only Connect and OAuth 2.0 apps can use the webhook operations";
    throw new Reject(jiraErrors(403, [why]), [why]);
  }
}

/** Why a dynamic webhook's JQL filter would be refused, if it would. */
function filterProblem(jql: string): string | null {
  const clauses = jql.split(/\s+(?:AND|OR)\s+/i);
  for (const clause of clauses) {
    const m = /^\(?\s*([A-Za-z][\w.[\]]*)\s*(=|!=|\bIN\b|\bNOT IN\b)/i.exec(clause.trim());
    if (!m) return `The clause ${clause.trim()} is unsupported`;
    const field = m[1]!.toLowerCase();
    if (!filterFields.has(field) && !field.startsWith("issue.property") && !/^cf\[\d+\]$/.test(field)) return `The clause ${m[1]} is unsupported`;
  }
  return null;
}

function live(state: FakeState) {
  const now = state.now().getTime();
  return state.dynamicWebhooks.filter((w) => w.expiresAt > now);
}

function webhookIds(ctx: HandlerContext): number[] {
  const ids = (ctx.json as { webhookIds?: unknown }).webhookIds;
  return Array.isArray(ids) ? ids.filter((i): i is number => typeof i === "number") : [];
}

export const appHandlers: Record<string, Handler> = {
  getAttachmentContent: (ctx): Answer => {
    const attachment = ctx.state.issues.flatMap((i) => i.attachments).find((a) => a.id === ctx.params.id);
    if (!attachment) throw new Reject(jiraErrors(404, ["The attachment does not exist."]));
    // Jira redirects to its media store unless told not to; the fake's store is /media on itself.
    if (ctx.query.get("redirect") !== "false") return { status: 303, headers: { location: `${ctx.origin}/media/${attachment.id}` } };
    return { status: 200, bytes: attachment.bytes, headers: { "content-type": attachment.mimeType, "content-length": String(attachment.bytes.byteLength) } };
  },

  bulkFetchIssues: (ctx) => {
    const body = ctx.json as { issueIdsOrKeys?: string[]; fields?: string[] };
    const wanted = body.issueIdsOrKeys ?? [];
    if (wanted.length > 100) throw new Reject(jiraErrors(400, ["You can request up to 100 issues."]), ["bulkfetch takes at most 100 issues"]);
    const issues = wanted.map((idOrKey) => ctx.state.findIssue(idOrKey)).filter((i) => i !== undefined);
    return { status: 200, json: { issues: issues.map((i) => renderIssue(ctx, i, body.fields ?? null, [], "id")), issueErrors: [] } };
  },

  registerDynamicWebhooks: (ctx) => {
    appsOnly(ctx);
    const body = ctx.json as { url: string; webhooks: { events?: string[]; jqlFilter?: string; fieldIdsFilter?: string[] }[] };
    const contract: string[] = [];
    const results = body.webhooks.map((w) => {
      if (!w.jqlFilter) {
        contract.push("every dynamic webhook needs a jqlFilter");
        return { errors: ["jqlFilter is required"] };
      }
      const events = w.events ?? [];
      const unknown = events.filter((e) => !dynamicEvents.has(e));
      if (events.length === 0 || unknown.length > 0) return { errors: [`Unsupported events: ${unknown.join(", ") || "(none given)"}`] };
      const problem = filterProblem(w.jqlFilter);
      if (problem) return { errors: [problem] };
      const id = ctx.state.nextWebhookId++;
      ctx.state.dynamicWebhooks.push({ id, url: body.url, events, jqlFilter: w.jqlFilter, ...(w.fieldIdsFilter ? { fieldIdsFilter: w.fieldIdsFilter } : {}), expiresAt: ctx.state.now().getTime() + WEBHOOK_LIFETIME_MS });
      return { createdWebhookId: id };
    });
    if (live(ctx.state).some((w) => w.url !== body.url)) contract.push("only one webhook URL per app may be registered");
    if (contract.length > 0) throw new Reject(jiraErrors(400, contract), contract);
    return { status: 200, json: { webhookRegistrationResult: results } };
  },

  getDynamicWebhooksForApp: (ctx) => {
    appsOnly(ctx);
    const startAt = Number(ctx.query.get("startAt") ?? 0);
    const maxResults = Number(ctx.query.get("maxResults") ?? 100);
    const all = live(ctx.state);
    const page = all.slice(startAt, startAt + maxResults);
    return {
      status: 200,
      json: {
        isLast: startAt + page.length >= all.length,
        maxResults,
        startAt,
        total: all.length,
        values: page.map((w) => ({ id: w.id, events: w.events, jqlFilter: w.jqlFilter, expirationDate: w.expiresAt, url: w.url, ...(w.fieldIdsFilter ? { fieldIdsFilter: w.fieldIdsFilter } : {}) })),
      },
    };
  },

  refreshWebhooks: (ctx) => {
    appsOnly(ctx);
    const expiresAt = ctx.state.now().getTime() + WEBHOOK_LIFETIME_MS;
    const ids = new Set(webhookIds(ctx));
    // Unknown (or already expired) ids are ignored, as the operation's description says.
    for (const w of live(ctx.state)) if (ids.has(w.id)) w.expiresAt = expiresAt;
    return { status: 200, json: { expirationDate: expiresAt } };
  },

  deleteWebhookById: (ctx) => {
    appsOnly(ctx);
    const ids = new Set(webhookIds(ctx));
    for (let i = ctx.state.dynamicWebhooks.length - 1; i >= 0; i--) if (ids.has(ctx.state.dynamicWebhooks[i]!.id)) ctx.state.dynamicWebhooks.splice(i, 1);
    return { status: 202 };
  },
};

/** `GET /secure/attachment/{id}/{filename}`: the download link Server/DC gives as an attachment's `content`. */
export function secureAttachment(state: FakeState, pathname: string, authenticated: boolean): Answer {
  if (!authenticated) return { status: 401, text: "Unauthorized" };
  const m = /^\/secure\/attachment\/(\d+)\//.exec(pathname);
  const attachment = m ? state.issues.flatMap((i) => i.attachments).find((a) => a.id === m[1]) : undefined;
  if (!attachment) return { status: 404, text: "Attachment not found" };
  return { status: 200, bytes: attachment.bytes, headers: { "content-type": attachment.mimeType } };
}
