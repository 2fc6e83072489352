import { adfProblems } from "./adf.js";
import { evaluate, JqlError, parseJql, type JqlFieldReader, type JqlQuery } from "./jql.js";
import { jiraTime, type FakeComment, type FakeDeployment, type FakeIssue, type FakeState, type FakeStatus, type FakeUser } from "./state.js";

/**
 * Jira's behaviour behind each operation the fake serves: what the OpenAPI document cannot say
 * (required create fields, the create screen, ADF on v3 vs strings on v2, transitions, the
 * no-check header) and the representations it answers with. Error texts follow Jira's where
 * known; the rest say "fake Jira" so nobody mistakes them for the real thing.
 */

export type Answer = { status: number; json?: unknown; text?: string; bytes?: Uint8Array; headers?: Record<string, string> };

/** Refuses a request. `contract` lists the ways the caller broke the vendor's contract (recorded as violations). */
export class Reject extends Error {
  constructor(
    readonly answer: Answer,
    readonly contract: string[] = [],
  ) {
    super(`fake Jira answered ${answer.status}`);
  }
}

export type HandlerContext = {
  deployment: FakeDeployment;
  state: FakeState;
  params: Record<string, string>;
  query: URLSearchParams;
  json: unknown;
  form: FormData | undefined;
  headers: Record<string, string | string[] | undefined>;
  /** Base for `self` links (site or gateway, with the API version). */
  apiBase: string;
  siteBase: string;
  indexedIssueProperties: readonly string[];
  /** Which entry point the call came through: app-only operations refuse the site's Basic auth. */
  via: "site" | "gateway";
  /** The fake's own origin (for redirect targets). */
  origin: string;
};

export type Handler = (ctx: HandlerContext) => Answer | Promise<Answer>;

const jiraErrors = (status: number, errorMessages: string[], errors: Record<string, string> = {}): Answer => ({ status, json: { errorMessages, errors } });
const notFoundIssue = () => new Reject(jiraErrors(404, ["Issue does not exist or you do not have permission to see it."]));

function issueOf(ctx: HandlerContext): FakeIssue {
  const issue = ctx.state.findIssue(ctx.params.issueIdOrKey ?? "");
  if (!issue) throw notFoundIssue();
  return issue;
}

// ── representations ─────────────────────────────────────────────────────────────────────────────

export function renderUser(ctx: Pick<HandlerContext, "deployment" | "apiBase">, u: FakeUser): Record<string, unknown> {
  return ctx.deployment === "cloud"
    ? { self: `${ctx.apiBase}/user?accountId=${u.accountId}`, accountId: u.accountId, accountType: "atlassian", emailAddress: u.emailAddress, displayName: u.displayName, active: true, timeZone: "UTC" }
    : { self: `${ctx.apiBase}/user?username=${u.name}`, name: u.name, key: u.key, emailAddress: u.emailAddress, displayName: u.displayName, active: true, timeZone: "UTC" };
}

function renderStatus(ctx: HandlerContext, s: FakeStatus): Record<string, unknown> {
  return {
    self: `${ctx.apiBase}/status/${s.id}`,
    description: "",
    iconUrl: `${ctx.siteBase}/images/icons/statuses/generic.png`,
    name: s.name,
    id: s.id,
    statusCategory: { self: `${ctx.apiBase}/statuscategory/${s.category.id}`, ...s.category },
  };
}

function renderComment(ctx: HandlerContext, issue: FakeIssue, c: FakeComment): Record<string, unknown> {
  return {
    self: `${ctx.apiBase}/issue/${issue.id}/comment/${c.id}`,
    id: c.id,
    author: renderUser(ctx, c.author),
    body: c.body,
    updateAuthor: renderUser(ctx, c.author),
    created: jiraTime(c.created),
    updated: jiraTime(c.updated),
    ...(c.visibility ? { visibility: c.visibility } : {}),
    // DC has no JSM flag on platform comments; Cloud reports it on every comment.
    ...(ctx.deployment === "cloud" ? { jsdPublic: c.jsdPublic } : {}),
  };
}

function renderAttachment(ctx: HandlerContext, a: FakeIssue["attachments"][number]): Record<string, unknown> {
  return {
    self: `${ctx.apiBase}/attachment/${a.id}`,
    id: a.id,
    filename: a.filename,
    author: renderUser(ctx, a.author),
    created: jiraTime(a.created),
    size: a.size,
    mimeType: a.mimeType,
    content: `${ctx.siteBase}/secure/attachment/${a.id}/${encodeURIComponent(a.filename)}`,
  };
}

function allFields(ctx: HandlerContext, issue: FakeIssue): Record<string, unknown> {
  const state = ctx.state;
  const status = state.status(issue.statusId)!;
  const priority = state.priorities.find((p) => p.id === issue.priorityId);
  const type = state.issueTypes.find((t) => t.id === issue.issueTypeId)!;
  const fields: Record<string, unknown> = {
    summary: issue.summary,
    description: issue.description ?? null,
    status: renderStatus(ctx, status),
    priority: priority ? { self: `${ctx.apiBase}/priority/${priority.id}`, iconUrl: `${ctx.siteBase}/images/icons/priorities/${priority.name.toLowerCase()}.svg`, name: priority.name, id: priority.id } : null,
    issuetype: { self: `${ctx.apiBase}/issuetype/${type.id}`, id: type.id, description: "", name: type.name, subtask: type.subtask },
    project: { self: `${ctx.apiBase}/project/${state.project.id}`, id: state.project.id, key: state.project.key, name: state.project.name, projectTypeKey: "service_desk" },
    labels: [...issue.labels],
    assignee: issue.assignee ? renderUser(ctx, issue.assignee) : null,
    reporter: renderUser(ctx, issue.reporter),
    creator: renderUser(ctx, issue.reporter),
    created: jiraTime(issue.created),
    updated: jiraTime(issue.updated),
    statuscategorychangedate: jiraTime(issue.updated),
    resolutiondate: status.category.key === "done" ? jiraTime(issue.updated) : null,
    components: (issue.components ?? []).map((name, i) => ({ self: `${ctx.apiBase}/component/${10100 + i}`, id: String(10100 + i), name })),
    attachment: issue.attachments.map((a) => renderAttachment(ctx, a)),
    comment: { comments: issue.comments.map((c) => renderComment(ctx, issue, c)), maxResults: issue.comments.length, total: issue.comments.length, startAt: 0 },
  };
  for (const f of state.customFields) fields[f.id] = issue.custom[f.id] ?? null;
  return fields;
}

/** `fields=` as Jira reads it: `*all`, `*navigable`, names, and `-name` exclusions. */
function selectFields(all: Record<string, unknown>, wanted: string[] | null, fallback: "all" | "id"): Record<string, unknown> | null {
  const list = wanted && wanted.length > 0 ? wanted : fallback === "all" ? ["*all"] : [];
  if (list.length === 0) return null;
  const include = new Set<string>();
  const exclude = new Set<string>();
  let everything = false;
  for (const f of list) {
    if (f === "*all" || f === "*navigable") everything = true;
    else if (f.startsWith("-")) exclude.add(f.slice(1));
    else include.add(f);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(all)) if ((everything || include.has(k)) && !exclude.has(k)) out[k] = v;
  return out;
}

export function renderIssue(ctx: HandlerContext, issue: FakeIssue, wanted: string[] | null, properties: string[], fallback: "all" | "id"): Record<string, unknown> {
  const fields = selectFields(allFields(ctx, issue), wanted, fallback);
  const props: Record<string, unknown> = {};
  for (const key of properties) if (issue.properties.has(key)) props[key] = issue.properties.get(key);
  return {
    expand: "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations",
    id: issue.id,
    self: `${ctx.apiBase}/issue/${issue.id}`,
    key: issue.key,
    ...(fields ? { fields } : {}),
    ...(properties.length > 0 ? { properties: props } : {}),
  };
}

const listParam = (q: URLSearchParams, name: string): string[] | null => {
  const values = q.getAll(name).flatMap((v) => v.split(",")).map((v) => v.trim()).filter(Boolean);
  return values.length > 0 ? values : null;
};

// ── field writes (create / edit) ────────────────────────────────────────────────────────────────

function richTextProblem(ctx: HandlerContext, value: unknown): string | null {
  if (ctx.deployment === "cloud") {
    const problems = adfProblems(value);
    return problems.length === 0 ? null : `Operation value must be an Atlassian Document (see the Atlassian Document Format): ${problems[0]}`;
  }
  return typeof value === "string" ? null : "Operation value must be a string";
}

function userFor(ctx: HandlerContext, value: unknown): FakeUser | null | string {
  if (value === null) return null;
  if (typeof value !== "object") return "expected a user object";
  const v = value as { accountId?: unknown; name?: unknown; id?: unknown };
  if (ctx.deployment === "cloud") {
    if (v.name !== undefined) return "Cloud identifies users by accountId; 'name' was removed (GDPR)";
    const user = ctx.state.users.find((u) => u.accountId === (v.accountId ?? v.id));
    return user ?? `User '${String(v.accountId ?? v.id)}' does not exist.`;
  }
  const user = ctx.state.users.find((u) => u.name === v.name);
  return user ?? (v.accountId !== undefined ? "Server/DC identifies users by name" : `User '${String(v.name)}' does not exist.`);
}

/** Applies `fields` to `target`; Jira-shaped field errors, plus contract problems for format mistakes. */
function writeFields(ctx: HandlerContext, fields: Record<string, unknown>, target: Partial<FakeIssue> & { custom: Record<string, unknown> }, mode: "create" | "edit"): { errors: Record<string, string>; contract: string[] } {
  const state = ctx.state;
  const errors: Record<string, string> = {};
  const contract: string[] = [];
  const onScreen = new Set([...state.screenFields, ...state.customFields.map((f) => f.id)]);
  for (const [name, value] of Object.entries(fields)) {
    if (!onScreen.has(name) || (mode === "edit" && (name === "project" || name === "issuetype"))) {
      errors[name] = `Field '${name}' cannot be set. It is not on the appropriate screen, or unknown.`;
      continue;
    }
    switch (name) {
      case "project": {
        const p = value as { key?: unknown; id?: unknown } | null;
        if (!p || (p.key !== state.project.key && p.id !== state.project.id)) errors.project = "Specify a valid project ID or key";
        break;
      }
      case "issuetype": {
        const t = value as { id?: unknown; name?: unknown } | null;
        const type = state.issueTypes.find((x) => x.id === t?.id || x.name === t?.name);
        if (!type) errors.issuetype = "Specify a valid issue type";
        else target.issueTypeId = type.id;
        break;
      }
      case "summary":
        if (typeof value !== "string" || value.trim() === "") errors.summary = "You must specify a summary of the issue.";
        else if (value.length > 255) errors.summary = "Summary must be less than 255 characters.";
        else if (/[\r\n]/.test(value)) errors.summary = "The summary is invalid because it contains newline characters.";
        else target.summary = value;
        break;
      case "description": {
        if (value === null) {
          target.description = null;
          break;
        }
        const problem = richTextProblem(ctx, value);
        if (problem) {
          errors.description = problem;
          contract.push(`description: ${problem}`);
        } else target.description = value;
        break;
      }
      case "priority": {
        const p = value as { id?: unknown; name?: unknown } | null;
        const priority = state.priorities.find((x) => x.id === p?.id || x.name === p?.name);
        if (!priority) errors.priority = `Priority with id '${String(p?.id ?? p?.name)}' does not exist`;
        else target.priorityId = priority.id;
        break;
      }
      case "labels":
        if (!Array.isArray(value) || value.some((l) => typeof l !== "string")) errors.labels = "Operation value must be an array of strings";
        else if (value.some((l: string) => /\s/.test(l) || l === "")) errors.labels = `The label '${value.find((l: string) => /\s/.test(l) || l === "")}' contains spaces which is invalid.`;
        else target.labels = [...new Set(value as string[])];
        break;
      case "assignee":
      case "reporter": {
        const user = userFor(ctx, value);
        if (typeof user === "string") {
          errors[name] = user;
          if (user.includes("identifies")) contract.push(`${name}: ${user}`);
        } else if (name === "assignee") target.assignee = user;
        else if (user) target.reporter = user;
        break;
      }
      default: {
        const field = state.customFields.find((f) => f.id === name)!;
        if (value === null) {
          delete target.custom[name];
          break;
        }
        if (field.type === "text") {
          if (typeof value !== "string") errors[name] = "Operation value must be a string";
          else if (value.length > 255) errors[name] = "Text fields cannot be more than 255 characters.";
          else target.custom[name] = value;
        } else if (field.type === "textarea") {
          const problem = richTextProblem(ctx, value);
          if (problem) {
            errors[name] = problem;
            contract.push(`${name}: ${problem}`);
          } else target.custom[name] = value;
        } else if (field.type === "number") {
          if (typeof value !== "number") errors[name] = "Operation value must be a number";
          else target.custom[name] = value;
        } else {
          const v = value as { value?: unknown; id?: unknown } | null;
          const option = field.options!.find((o) => o.value === v?.value || o.id === v?.id);
          if (!option) errors[name] = `Option value '${String(v?.value ?? v?.id)}' is not valid`;
          else target.custom[name] = { self: `${ctx.apiBase}/customFieldOption/${option.id}`, value: option.value, id: option.id };
        }
      }
    }
  }
  return { errors, contract };
}

function readProperties(value: unknown): { map: Map<string, unknown>; problems: string[] } {
  const map = new Map<string, unknown>();
  const problems: string[] = [];
  if (value === undefined) return { map, problems };
  if (!Array.isArray(value)) return { map, problems: ["properties must be an array"] };
  for (const p of value as { key?: unknown; value?: unknown }[]) {
    if (typeof p.key !== "string" || p.key.length === 0 || p.key.length > 255) problems.push("an entity property key must be 1–255 characters");
    else if (JSON.stringify(p.value ?? null).length > 32768) problems.push(`property ${p.key} is larger than 32768 bytes`);
    else map.set(p.key, p.value);
  }
  return { map, problems };
}

// ── search ──────────────────────────────────────────────────────────────────────────────────────

function jqlReader(ctx: HandlerContext, issue: FakeIssue): JqlFieldReader {
  const state = ctx.state;
  return (field) => {
    const f = field.toLowerCase();
    const status = state.status(issue.statusId)!;
    const priority = state.priorities.find((p) => p.id === issue.priorityId);
    const type = state.issueTypes.find((t) => t.id === issue.issueTypeId)!;
    const propertyMatch = /^issue\.property\[([^\]]+)\]\.(.+)$/i.exec(field);
    if (propertyMatch) {
      // Only properties an app indexes are searchable (entity property modules); for any
      // other key Jira has no index, so nothing matches.
      const [, key, path] = propertyMatch;
      if (!ctx.indexedIssueProperties.includes(key!)) return { kind: "text", values: [] };
      let v: unknown = issue.properties.get(key!);
      for (const part of path!.split(".")) v = typeof v === "object" && v !== null ? (v as Record<string, unknown>)[part] : undefined;
      return { kind: "text", values: v === undefined || v === null ? [] : [String(v)] };
    }
    const cf = /^(?:cf\[(\d+)\]|customfield_(\d+))$/i.exec(field);
    if (cf) {
      const id = `customfield_${cf[1] ?? cf[2]}`;
      if (!state.customFields.some((c) => c.id === id)) return undefined;
      const v = issue.custom[id];
      const text = v === undefined || v === null ? [] : typeof v === "object" ? [String((v as { value?: unknown }).value ?? "")] : [String(v)];
      return { kind: "text", values: text };
    }
    switch (f) {
      case "project":
        return { kind: "text", values: [state.project.key, state.project.id, state.project.name] };
      case "key":
      case "issuekey":
      case "issue":
      case "id":
        return { kind: "text", values: [issue.key, issue.id] };
      case "labels":
        return { kind: "set", values: issue.labels };
      case "component":
        return { kind: "set", values: issue.components ?? [] };
      case "status":
        return { kind: "text", values: [status.name, status.id] };
      case "statuscategory":
        return { kind: "text", values: [status.category.key, status.category.name, String(status.category.id)] };
      case "priority":
        return { kind: "text", values: priority ? [priority.name, priority.id] : [] };
      case "issuetype":
      case "type":
        return { kind: "text", values: [type.name, type.id] };
      case "summary":
        return { kind: "text", values: [issue.summary] };
      case "assignee":
        return { kind: "text", values: issue.assignee ? [issue.assignee.accountId, issue.assignee.name, issue.assignee.emailAddress] : [] };
      case "created":
      case "createddate":
        return { kind: "date", values: [String(issue.created.getTime())] };
      case "updated":
      case "updateddate":
        return { kind: "date", values: [String(issue.updated.getTime())] };
      default:
        return undefined;
    }
  };
}

function runJql(ctx: HandlerContext, jql: string, requireBounded: boolean): FakeIssue[] {
  let query: JqlQuery;
  try {
    query = parseJql(jql);
  } catch (e) {
    throw new Reject(jiraErrors(400, [(e as Error).message]));
  }
  if (requireBounded && !query.where) throw new Reject(jiraErrors(400, ["Unbounded JQL queries are not allowed here. Please add a search restriction to your query."]));
  let found: FakeIssue[];
  try {
    found = ctx.state.issues.filter((issue) => !query.where || evaluate(query.where, jqlReader(ctx, issue)));
  } catch (e) {
    if (e instanceof JqlError) throw new Reject(jiraErrors(400, [e.message]));
    throw e;
  }
  const order = query.orderBy.length > 0 ? query.orderBy : [{ field: "key", direction: "desc" as const }];
  const sortValue = (issue: FakeIssue, field: string): number | string => {
    switch (field.toLowerCase()) {
      case "created":
        return issue.created.getTime();
      case "updated":
        return issue.updated.getTime();
      case "key":
      case "id":
        return Number(issue.id);
      default:
        throw new Reject(jiraErrors(400, [`Field '${field}' does not exist or you do not have permission to view it.`]));
    }
  };
  return [...found].sort((a, b) => {
    for (const o of order) {
      const x = sortValue(a, o.field);
      const y = sortValue(b, o.field);
      if (x !== y) return (x < y ? -1 : 1) * (o.direction === "asc" ? 1 : -1);
    }
    return 0;
  });
}

// ── operations ──────────────────────────────────────────────────────────────────────────────────

export const handlers: Record<string, Handler> = {
  getServerInfo: (ctx) => ({
    status: 200,
    json: {
      baseUrl: ctx.siteBase,
      version: ctx.deployment === "cloud" ? "1001.0.0-SNAPSHOT" : "9.12.15",
      versionNumbers: ctx.deployment === "cloud" ? [1001, 0, 0] : [9, 12, 15],
      deploymentType: ctx.deployment === "cloud" ? "Cloud" : "Server",
      buildNumber: 100000,
      buildDate: "2026-11-20T00:00:00.000+0000",
      serverTime: jiraTime(ctx.state.now()),
      scmInfo: "fake",
      serverTitle: "Fake Jira",
    },
  }),

  getCurrentUser: (ctx) => ({ status: 200, json: renderUser(ctx, ctx.state.actor) }),

  getProject: (ctx) => {
    const key = ctx.params.projectIdOrKey!;
    const p = ctx.state.project;
    if (key.toUpperCase() !== p.key && key !== p.id) throw new Reject(jiraErrors(404, [`No project could be found with key '${key}'.`]));
    return {
      status: 200,
      json: {
        self: `${ctx.apiBase}/project/${p.id}`,
        id: p.id,
        key: p.key,
        name: p.name,
        projectTypeKey: "service_desk",
        simplified: false,
        issueTypes: ctx.state.issueTypes.map((t) => ({ self: `${ctx.apiBase}/issuetype/${t.id}`, id: t.id, name: t.name, subtask: t.subtask, description: "" })),
      },
    };
  },

  getAllStatuses: (ctx) => {
    const key = ctx.params.projectIdOrKey!;
    const p = ctx.state.project;
    if (key !== p.key && key !== p.id) throw new Reject(jiraErrors(404, [`No project could be found with key '${key}'.`]));
    // One workflow for every issue type in the fake.
    return {
      status: 200,
      json: ctx.state.issueTypes.map((t) => ({ self: `${ctx.apiBase}/issuetype/${t.id}`, id: t.id, name: t.name, subtask: t.subtask, statuses: ctx.state.statuses.map((s) => renderStatus(ctx, s)) })),
    };
  },

  getCreateIssueMetaIssueTypes: (ctx) => {
    const key = ctx.params.projectIdOrKey!;
    if (key.toUpperCase() !== ctx.state.project.key && key !== ctx.state.project.id) throw new Reject(jiraErrors(400, [`No project could be found with key '${key}'.`]));
    const types = ctx.state.issueTypes.map((t) => ({ self: `${ctx.apiBase}/issuetype/${t.id}`, id: t.id, name: t.name, subtask: t.subtask, description: "" }));
    const page = { maxResults: 50, startAt: 0, total: types.length };
    // Cloud calls the list issueTypes; DC (9.x) values — the DC name is from memory, not a spec.
    return { status: 200, json: ctx.deployment === "cloud" ? { ...page, issueTypes: types } : { ...page, values: types, isLast: true } };
  },

  getCreateIssueMetaIssueTypeId: (ctx) => {
    const state = ctx.state;
    if (!state.issueTypes.some((t) => t.id === ctx.params.issueTypeId)) throw new Reject(jiraErrors(400, ["The issue type selected is invalid."]));
    const system = [
      { fieldId: "summary", key: "summary", name: "Summary", required: true, schema: { type: "string", system: "summary" } },
      { fieldId: "description", key: "description", name: "Description", required: false, schema: { type: "string", system: "description" } },
      { fieldId: "priority", key: "priority", name: "Priority", required: false, schema: { type: "priority", system: "priority" }, allowedValues: state.priorities },
      { fieldId: "labels", key: "labels", name: "Labels", required: false, schema: { type: "array", items: "string", system: "labels" } },
      { fieldId: "assignee", key: "assignee", name: "Assignee", required: false, schema: { type: "user", system: "assignee" } },
    ];
    const custom = state.customFields.map((f) => ({
      fieldId: f.id,
      key: f.id,
      name: f.name,
      required: false,
      schema: { type: f.type === "select" ? "option" : f.type === "number" ? "number" : "string", custom: `com.atlassian.jira.plugin.system.customfieldtypes:${f.type === "select" ? "select" : f.type === "textarea" ? "textarea" : f.type === "number" ? "float" : "textfield"}`, customId: Number(f.id.slice(12)) },
      ...(f.options ? { allowedValues: f.options.map((o) => ({ self: `${ctx.apiBase}/customFieldOption/${o.id}`, value: o.value, id: o.id })) } : {}),
    }));
    const fields = [...system, ...custom].map((f) => ({ ...f, operations: ["set"], hasDefaultValue: false }));
    const page = { maxResults: 50, startAt: 0, total: fields.length };
    return { status: 200, json: ctx.deployment === "cloud" ? { ...page, fields } : { ...page, values: fields, isLast: true } };
  },

  createIssue: (ctx) => {
    const body = ctx.json as { fields?: Record<string, unknown>; properties?: unknown; update?: Record<string, unknown>; transition?: unknown };
    const contract: string[] = [];
    if (body.update && Object.keys(body.update).length > 0) contract.push("fake Jira: `update` operations on create are not modelled");
    if (body.transition) contract.push("fake Jira: `transition` on create is not modelled");
    if (contract.length > 0) throw new Reject(jiraErrors(400, contract), contract);
    const fields = body.fields ?? {};
    const target: Partial<FakeIssue> & { custom: Record<string, unknown> } = { custom: {} };
    const { errors, contract: formatProblems } = writeFields(ctx, fields, target, "create");
    for (const required of ["project", "issuetype", "summary"]) {
      if (!(required in fields)) errors[required] = required === "summary" ? "You must specify a summary of the issue." : required === "project" ? "Specify a valid project ID or key" : "Specify an issue type";
    }
    const properties = readProperties(body.properties);
    if (properties.problems.length > 0) errors.properties = properties.problems.join("; ");
    if (Object.keys(errors).length > 0) throw new Reject(jiraErrors(400, [], errors), formatProblems);
    const issue = ctx.state.newIssue({
      issueTypeId: target.issueTypeId!,
      summary: target.summary!,
      description: target.description ?? null,
      priorityId: target.priorityId ?? "3",
      labels: target.labels ?? [],
      assignee: target.assignee ?? null,
      reporter: target.reporter ?? ctx.state.actor,
      custom: target.custom,
      properties: properties.map,
    });
    return { status: 201, json: { id: issue.id, key: issue.key, self: `${ctx.apiBase}/issue/${issue.id}` } };
  },

  getIssue: (ctx) => {
    const issue = issueOf(ctx);
    return { status: 200, json: renderIssue(ctx, issue, listParam(ctx.query, "fields"), listParam(ctx.query, "properties") ?? [], "all") };
  },

  editIssue: (ctx) => {
    const issue = issueOf(ctx);
    const body = ctx.json as { fields?: Record<string, unknown>; update?: Record<string, unknown> };
    if (body.update && Object.keys(body.update).length > 0) throw new Reject(jiraErrors(400, ["fake Jira: `update` operations are not modelled"]), ["fake Jira: `update` operations are not modelled"]);
    const target: Partial<FakeIssue> & { custom: Record<string, unknown> } = { custom: { ...issue.custom } };
    const { errors, contract } = writeFields(ctx, body.fields ?? {}, target, "edit");
    if (Object.keys(errors).length > 0) throw new Reject(jiraErrors(400, [], errors), contract);
    const { custom, ...rest } = target;
    Object.assign(issue, rest, { custom });
    ctx.state.touch(issue);
    return { status: 204 };
  },

  searchAndReconsileIssuesUsingJqlPost: (ctx) => {
    const body = ctx.json as { jql?: string; fields?: string[]; properties?: string[]; maxResults?: number; nextPageToken?: string };
    return cloudSearch(ctx, body.jql ?? "", body.fields ?? null, body.properties ?? [], body.maxResults ?? 50, body.nextPageToken);
  },

  searchAndReconsileIssuesUsingJql: (ctx) =>
    cloudSearch(ctx, ctx.query.get("jql") ?? "", listParam(ctx.query, "fields"), listParam(ctx.query, "properties") ?? [], Number(ctx.query.get("maxResults") ?? 50), ctx.query.get("nextPageToken") ?? undefined),

  searchForIssuesUsingJqlPost: (ctx) => {
    const body = ctx.json as { jql?: string; fields?: string[]; properties?: string[]; maxResults?: number; startAt?: number };
    return dcSearch(ctx, body.jql ?? "", body.fields ?? null, body.properties ?? [], body.maxResults ?? 50, body.startAt ?? 0);
  },

  searchForIssuesUsingJql: (ctx) =>
    dcSearch(ctx, ctx.query.get("jql") ?? "", listParam(ctx.query, "fields"), listParam(ctx.query, "properties") ?? [], Number(ctx.query.get("maxResults") ?? 50), Number(ctx.query.get("startAt") ?? 0)),

  getComments: (ctx) => {
    const issue = issueOf(ctx);
    const startAt = Number(ctx.query.get("startAt") ?? 0);
    const maxResults = Math.min(Number(ctx.query.get("maxResults") ?? 100), 100);
    const ordered = ctx.query.get("orderBy") === "-created" ? [...issue.comments].reverse() : issue.comments;
    const page = ordered.slice(startAt, startAt + maxResults);
    return { status: 200, json: { startAt, maxResults, total: issue.comments.length, comments: page.map((c) => renderComment(ctx, issue, c)) } };
  },

  addComment: (ctx) => {
    const issue = issueOf(ctx);
    const body = ctx.json as { body?: unknown; properties?: unknown; visibility?: { type: string; value: string } };
    const problem = body.body === undefined ? "body is required" : richTextProblem(ctx, body.body);
    if (problem) throw new Reject(jiraErrors(400, [], { comment: problem }), [`comment body: ${problem}`]);
    const properties = readProperties(body.properties);
    if (properties.problems.length > 0) throw new Reject(jiraErrors(400, properties.problems), properties.problems);
    const sd = properties.map.get("sd.public.comment") as { internal?: unknown } | undefined;
    if (sd !== undefined && typeof sd?.internal !== "boolean") {
      const why = "sd.public.comment must be {internal: <JSON boolean>} (PROTOCOLS.md §1.6)";
      throw new Reject(jiraErrors(400, [why]), [why]);
    }
    const comment = ctx.state.newComment(issue, body.body, sd?.internal !== true, properties.map, body.visibility);
    return { status: 201, json: renderComment(ctx, issue, comment) };
  },

  getComment: (ctx) => {
    const issue = issueOf(ctx);
    const comment = issue.comments.find((c) => c.id === ctx.params.id);
    if (!comment) throw new Reject(jiraErrors(404, ["Can not find a comment for the id: " + ctx.params.id + "."]));
    return { status: 200, json: renderComment(ctx, issue, comment) };
  },

  updateComment: (ctx) => {
    const issue = issueOf(ctx);
    const comment = issue.comments.find((c) => c.id === ctx.params.id);
    if (!comment) throw new Reject(jiraErrors(404, ["Can not find a comment for the id: " + ctx.params.id + "."]));
    const body = ctx.json as { body?: unknown; visibility?: { type: string; value: string } };
    const problem = body.body === undefined ? "body is required" : richTextProblem(ctx, body.body);
    if (problem) throw new Reject(jiraErrors(400, [], { comment: problem }), [`comment body: ${problem}`]);
    comment.body = body.body;
    comment.updated = ctx.state.now();
    ctx.state.touch(issue);
    return { status: 200, json: renderComment(ctx, issue, comment) };
  },

  deleteComment: (ctx) => {
    const issue = issueOf(ctx);
    const index = issue.comments.findIndex((c) => c.id === ctx.params.id);
    if (index < 0) throw new Reject(jiraErrors(404, ["Can not find a comment for the id: " + ctx.params.id + "."]));
    issue.comments.splice(index, 1);
    ctx.state.touch(issue);
    return { status: 204 };
  },

  getTransitions: (ctx) => {
    const issue = issueOf(ctx);
    const transitions = ctx.state.transitions
      .filter((t) => t.to !== issue.statusId)
      .map((t) => ({ id: t.id, name: t.name, to: renderStatus(ctx, ctx.state.status(t.to)!), hasScreen: false, isGlobal: true, isInitial: false, isAvailable: true, isConditional: false, isLooped: false }));
    return { status: 200, json: { expand: "transitions", transitions } };
  },

  doTransition: (ctx) => {
    const issue = issueOf(ctx);
    const body = ctx.json as { transition?: { id?: unknown }; fields?: Record<string, unknown>; update?: Record<string, unknown> };
    if (!body.transition || typeof body.transition.id !== "string") throw new Reject(jiraErrors(400, ["Missing 'transition' identifier"]), ["doTransition needs transition.id as a string"]);
    const transition = ctx.state.transitions.find((t) => t.id === body.transition!.id && t.to !== issue.statusId);
    if (!transition) throw new Reject(jiraErrors(400, [`Transition id '${String(body.transition.id)}' is not valid for this issue.`]));
    if (body.fields && Object.keys(body.fields).length > 0) {
      const target: Partial<FakeIssue> & { custom: Record<string, unknown> } = { custom: { ...issue.custom } };
      const { errors, contract } = writeFields(ctx, body.fields, target, "edit");
      if (Object.keys(errors).length > 0) throw new Reject(jiraErrors(400, [], errors), contract);
      const { custom, ...rest } = target;
      Object.assign(issue, rest, { custom });
    }
    issue.statusId = transition.to;
    ctx.state.touch(issue);
    return { status: 204 };
  },

  addAttachment: async (ctx) => {
    const issue = issueOf(ctx);
    const token = ctx.headers["x-atlassian-token"];
    if (String(token ?? "").toLowerCase() !== "no-check") {
      // Jira's XSRF filter answers in plain text, before any JSON handling.
      throw new Reject({ status: 403, text: "XSRF check failed" }, ["addAttachment without `X-Atlassian-Token: no-check` is blocked"]);
    }
    const form = ctx.form;
    const files = form ? form.getAll("file").filter((v): v is File => typeof v !== "string") : [];
    const others = form ? [...form.keys()].filter((k) => k !== "file") : [];
    if (files.length === 0 || others.length > 0) {
      const why = `the multipart parameter holding the files must be named "file"${others.length ? ` (got ${others.join(", ")})` : ""}`;
      throw new Reject(jiraErrors(400, [`fake Jira: ${why}`]), [why]);
    }
    const created = [];
    for (const file of files) {
      created.push(ctx.state.newAttachment(issue, { filename: file.name, mimeType: file.type || "application/octet-stream", bytes: new Uint8Array(await file.arrayBuffer()) }));
    }
    return { status: 200, json: created.map((a) => renderAttachment(ctx, a)) };
  },

  getIssueProperty: (ctx) => {
    const issue = issueOf(ctx);
    const key = ctx.params.propertyKey!;
    if (!issue.properties.has(key)) throw new Reject(jiraErrors(404, [`The property with key '${key}' does not exist.`]));
    return { status: 200, json: { key, value: issue.properties.get(key) } };
  },

  setIssueProperty: (ctx) => {
    const issue = issueOf(ctx);
    const key = ctx.params.propertyKey!;
    if (ctx.json === undefined) throw new Reject(jiraErrors(400, ["The property value must be a valid, non-empty JSON value."]), ["setIssueProperty needs a JSON body"]);
    if (JSON.stringify(ctx.json).length > 32768) throw new Reject(jiraErrors(400, ["The property value is longer than 32768 bytes."]));
    const existed = issue.properties.has(key);
    issue.properties.set(key, ctx.json);
    return { status: existed ? 200 : 201 };
  },

  // JSM servicedeskapi
  getRequestComments: (ctx) => {
    const issue = issueOf(ctx);
    const pub = ctx.query.get("public");
    const internal = ctx.query.get("internal");
    const comments = issue.comments.filter((c) => (pub === "false" ? !c.jsdPublic : true) && (internal === "false" ? c.jsdPublic : true));
    return { status: 200, json: { size: comments.length, start: 0, limit: 50, isLastPage: true, values: comments.map((c) => renderServiceDeskComment(ctx, c)) } };
  },

  createRequestComment: (ctx) => {
    const issue = issueOf(ctx);
    const body = ctx.json as { body?: unknown; public?: unknown };
    const contract: string[] = [];
    if (typeof body.body !== "string" || body.body === "") contract.push("servicedeskapi comment body must be a non-empty string (not ADF)");
    if (typeof body.public !== "boolean") contract.push("servicedeskapi comment needs `public` as a boolean");
    if (contract.length > 0) throw new Reject({ status: 400, json: { errorMessage: contract.join("; "), i18nErrorMessage: { i18nKey: "fake.invalid", parameters: [] } } }, contract);
    const comment = ctx.state.newComment(issue, body.body, body.public === true, new Map([["sd.public.comment", { internal: body.public !== true }]]));
    return { status: 201, json: renderServiceDeskComment(ctx, comment) };
  },
};

function renderServiceDeskComment(ctx: HandlerContext, c: FakeComment): Record<string, unknown> {
  const epochMillis = c.created.getTime();
  return {
    id: c.id,
    body: typeof c.body === "string" ? c.body : "",
    public: c.jsdPublic,
    author: { accountId: c.author.accountId, displayName: c.author.displayName, emailAddress: c.author.emailAddress, active: true, timeZone: "UTC", _links: { self: `${ctx.siteBase}/rest/api/2/user?accountId=${c.author.accountId}` } },
    created: { iso8601: jiraTime(c.created), jira: jiraTime(c.created), friendly: "Today", epochMillis },
    _links: { self: `${ctx.siteBase}/rest/servicedeskapi/request/${c.id}/comment/${c.id}` },
  };
}

function cloudSearch(ctx: HandlerContext, jql: string, fields: string[] | null, properties: string[], maxResults: number, nextPageToken: string | undefined): Answer {
  const found = runJql(ctx, jql, true);
  const start = nextPageToken ? Number(Buffer.from(nextPageToken, "base64url").toString()) : 0;
  if (!Number.isInteger(start) || start < 0) throw new Reject(jiraErrors(400, ["The provided next page token is invalid or expired."]));
  const page = found.slice(start, start + Math.min(maxResults, 5000));
  const next = start + page.length < found.length ? Buffer.from(String(start + page.length)).toString("base64url") : undefined;
  return {
    status: 200,
    json: {
      issues: page.map((i) => {
        const rendered = renderIssue(ctx, i, fields, properties, "id");
        // /search/jql answers with `id` only unless fields are asked for (PROTOCOLS.md §1.2).
        if (!fields) return properties.length > 0 ? { id: rendered.id, properties: rendered.properties } : { id: rendered.id };
        return rendered;
      }),
      ...(next ? { nextPageToken: next } : {}),
      isLast: next === undefined,
    },
  };
}

function dcSearch(ctx: HandlerContext, jql: string, fields: string[] | null, properties: string[], maxResults: number, startAt: number): Answer {
  const found = runJql(ctx, jql, false);
  const page = found.slice(startAt, startAt + maxResults);
  return { status: 200, json: { expand: "schema,names", startAt, maxResults, total: found.length, issues: page.map((i) => renderIssue(ctx, i, fields, properties, "all")) } };
}
