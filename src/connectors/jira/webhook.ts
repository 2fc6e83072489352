import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { jiraBodyToMarkdown } from "./text.js";
import { parseJiraTime, ZJiraUser, type JiraUser } from "./types.js";

// ── authenticity ────────────────────────────────────────────────────────────────────────────────

export type SignatureCheck = { ok: true } | { ok: false; reason: "missing" | "malformed" | "unsupported_algorithm" | "mismatch" };

/**
 * Checks `X-Hub-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>`, which Jira sends on admin
 * webhooks registered with a secret (PROTOCOLS.md §2.1; DC uses the same header). Only sha256 is
 * accepted. The comparison runs in constant time over the decoded digests; the body must be the
 * exact bytes received, since re-serialised JSON does not hash the same.
 */
export function verifyJiraSignature(input: { rawBody: Uint8Array | string; signature: string | undefined; secret: string }): SignatureCheck {
  if (input.secret === "") throw new Error("an empty webhook secret would accept any body");
  const header = input.signature?.trim();
  if (!header) return { ok: false, reason: "missing" };
  const match = /^([A-Za-z0-9-]+)=([0-9A-Fa-f]+)$/.exec(header);
  if (!match) return { ok: false, reason: "malformed" };
  if (match[1]!.toLowerCase() !== "sha256") return { ok: false, reason: "unsupported_algorithm" };
  const sent = Buffer.from(match[2]!, "hex");
  const expected = createHmac("sha256", input.secret).update(input.rawBody).digest();
  if (sent.length !== expected.length) return { ok: false, reason: "malformed" };
  return timingSafeEqual(sent, expected) ? { ok: true } : { ok: false, reason: "mismatch" };
}

export function signJiraBody(rawBody: Uint8Array | string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(rawBody).digest("hex")}`;
}

// ── payload shapes ──────────────────────────────────────────────────────────────────────────────

/**
 * Loose on purpose: payloads carry every field of the site, custom fields differ per site, and
 * captures show v2-style wiki strings where the v3 API has ADF (PROTOCOLS.md §2.2).
 */
const ZIssueRef = z
  .object({
    id: z.union([z.string(), z.number()]).transform(String),
    key: z.string().optional(),
    self: z.string().optional(),
    fields: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();

const ZComment = z
  .object({
    id: z.union([z.string(), z.number()]).transform(String),
    self: z.string().optional(),
    body: z.unknown(),
    author: ZJiraUser.optional(),
    updateAuthor: ZJiraUser.optional(),
    created: z.string().optional(),
    updated: z.string().optional(),
    jsdPublic: z.boolean().optional(),
  })
  .loose();

const ZChangeItem = z
  .object({
    field: z.string(),
    fieldId: z.string().optional(),
    fieldtype: z.string().optional(),
    from: z.union([z.string(), z.number()]).nullable().optional(),
    fromString: z.string().nullable().optional(),
    to: z.union([z.string(), z.number()]).nullable().optional(),
    toString: z.string().nullable().optional(),
  })
  .loose();

const ZBase = z.object({ timestamp: z.number().optional(), webhookEvent: z.string(), matchedWebhookIds: z.array(z.number()).optional() }).loose();

const ZIssueEventPayload = ZBase.extend({
  issue_event_type_name: z.string().optional(),
  user: ZJiraUser.optional(),
  issue: ZIssueRef,
  changelog: z.object({ id: z.union([z.string(), z.number()]).transform(String).optional(), items: z.array(ZChangeItem).default([]) }).loose().optional(),
  comment: ZComment.optional(),
});

const ZCommentEventPayload = ZBase.extend({ comment: ZComment, issue: ZIssueRef.optional() });

const ZAttachmentEventPayload = ZBase.extend({
  attachment: z
    .object({ id: z.union([z.string(), z.number()]).transform(String), filename: z.string().optional(), self: z.string().optional(), mimeType: z.string().optional(), size: z.number().optional(), author: ZJiraUser.optional() })
    .loose(),
  issue: ZIssueRef.optional(),
});

// ── normalized events ───────────────────────────────────────────────────────────────────────────

export type IssueRef = { id: string; key: string | null; projectKey: string | null };
export type PersonRef = { accountId: string | null; name: string | null; email: string | null; displayName: string | null };
export type StatusRef = { id: string | null; name: string | null };
export type FieldChange = { field: string; fieldId: string | null; from: string | null; fromString: string | null; to: string | null; toString: string | null };
export type AttachmentChange = { change: "added" | "removed"; id: string; filename: string | null };
export type CommentView = {
  id: string;
  /** As Markdown, whichever format (wiki string or ADF) arrived. */
  markdown: string;
  author: PersonRef | null;
  created: Date | null;
  updated: Date | null;
  /** JSM: true/false when the site says; null when it does not (plain Jira, DC captures). */
  jsdPublic: boolean | null;
};

export type JiraWebhookEvent =
  | { type: "issue_created"; issue: IssueRef; user: PersonRef | null }
  | {
      type: "issue_updated";
      issue: IssueRef;
      user: PersonRef | null;
      /** Jira's finer event name (issue_generic, issue_assigned, issue_commented, …; an open set). */
      issueEventType: string | null;
      status: { from: StatusRef; to: StatusRef } | null;
      assignee: { from: string | null; to: string | null } | null;
      priority: { from: StatusRef; to: StatusRef } | null;
      attachments: AttachmentChange[];
      /** Every changelog item, including the ones lifted out above. */
      changes: FieldChange[];
      /** When the update was a comment (issue_commented). */
      comment: CommentView | null;
    }
  | { type: "issue_deleted"; issue: IssueRef; user: PersonRef | null }
  | { type: "comment_created" | "comment_updated" | "comment_deleted"; issue: IssueRef | null; comment: CommentView }
  | { type: "attachment_created" | "attachment_deleted"; issue: IssueRef | null; attachment: { id: string; filename: string | null } }
  | { type: "ignored"; webhookEvent: string };

export type ParsedJiraWebhook = {
  /**
   * Idempotency key: `X-Atlassian-Webhook-Identifier` (unique per delivery, stable across retries).
   * Without it (DC, older sites, the captured samples) a hash of the raw body, which a retry of
   * the same delivery repeats byte for byte.
   */
  deliveryId: string;
  deliveryIdSource: "header" | "body-hash";
  /** `X-Atlassian-Webhook-Retry`: 0 on the first attempt. */
  retry: number;
  flow: "Primary" | "Secondary" | null;
  webhookEvent: string;
  occurredAt: Date | null;
  event: JiraWebhookEvent;
  /** The body as parsed: what is stored, so it is not parsed twice. */
  body: unknown;
};

export type ParseResult = { ok: true; webhook: ParsedJiraWebhook } | { ok: false; error: string };

type HeaderBag = Record<string, string | string[] | undefined> | Headers;

function header(headers: HeaderBag, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name] ?? headers[name.toLowerCase()] ?? Object.entries(headers).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
  return Array.isArray(value) ? value[0] : value;
}

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function person(user: JiraUser | undefined): PersonRef | null {
  if (!user) return null;
  const email = user.emailAddress && user.emailAddress.includes("@") ? user.emailAddress : null;
  return { accountId: user.accountId ?? null, name: user.name ?? null, email, displayName: user.displayName ?? null };
}

function issueRef(issue: z.infer<typeof ZIssueRef>): IssueRef {
  const project = issue.fields?.project as { key?: unknown } | undefined;
  return { id: issue.id, key: issue.key ?? null, projectKey: typeof project?.key === "string" ? project.key : null };
}

/** DC comment events carry no issue; the comment's own link names it (`…/issue/10013/comment/10082`). */
function issueFromCommentSelf(self: string | undefined): IssueRef | null {
  const m = self ? /\/issue\/([^/]+)\/comment\//.exec(self) : null;
  if (!m) return null;
  const idOrKey = decodeURIComponent(m[1]!);
  return /^\d+$/.test(idOrKey) ? { id: idOrKey, key: null, projectKey: null } : { id: "", key: idOrKey, projectKey: idOrKey.split("-")[0] ?? null };
}

function commentView(c: z.infer<typeof ZComment>): CommentView {
  return { id: c.id, markdown: jiraBodyToMarkdown(c.body), author: person(c.author), created: parseJiraTime(c.created), updated: parseJiraTime(c.updated), jsdPublic: c.jsdPublic ?? null };
}

function changesOf(items: z.infer<typeof ZChangeItem>[]): FieldChange[] {
  return items.map((i) => ({ field: i.field, fieldId: i.fieldId ?? null, from: str(i.from), fromString: i.fromString ?? null, to: str(i.to), toString: i.toString ?? null }));
}

const isField = (c: FieldChange, id: string) => (c.fieldId ?? c.field).toLowerCase() === id || c.field.toLowerCase() === id;

function issueUpdated(p: z.infer<typeof ZIssueEventPayload>): JiraWebhookEvent {
  const changes = changesOf(p.changelog?.items ?? []);
  const status = changes.find((c) => isField(c, "status"));
  const assignee = changes.find((c) => isField(c, "assignee"));
  const priority = changes.find((c) => isField(c, "priority"));
  return {
    type: "issue_updated",
    issue: issueRef(p.issue),
    user: person(p.user),
    issueEventType: p.issue_event_type_name ?? null,
    status: status ? { from: { id: status.from, name: status.fromString }, to: { id: status.to, name: status.toString } } : null,
    assignee: assignee ? { from: assignee.from, to: assignee.to } : null,
    priority: priority ? { from: { id: priority.from, name: priority.fromString }, to: { id: priority.to, name: priority.toString } } : null,
    attachments: changes
      .filter((c) => isField(c, "attachment"))
      .map((c): AttachmentChange => (c.to ? { change: "added", id: c.to, filename: c.toString } : { change: "removed", id: c.from ?? "", filename: c.fromString })),
    changes,
    comment: p.comment ? commentView(p.comment) : null,
  };
}

function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
    .join("; ");
}

/**
 * Parses one delivery into a normalized event. Events the connector does not use come back as
 * `ignored` (still acknowledged); a body that is not JSON, or a known event whose body does not
 * have that event's shape, is an error (the route answers 400).
 */
export function parseJiraWebhook(input: { rawBody: Uint8Array | string; headers: HeaderBag }): ParseResult {
  const text = typeof input.rawBody === "string" ? input.rawBody : Buffer.from(input.rawBody).toString("utf8");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: "the body is not JSON" };
  }
  const read = readJiraPayload(json);
  if (!read.ok) return read;
  const identifier = header(input.headers, "x-atlassian-webhook-identifier")?.trim();
  const retry = Number(header(input.headers, "x-atlassian-webhook-retry") ?? 0);
  const flow = header(input.headers, "x-atlassian-webhook-flow");
  return {
    ok: true,
    webhook: {
      deliveryId: identifier ? identifier : `sha256:${createHash("sha256").update(input.rawBody).digest("hex")}`,
      deliveryIdSource: identifier ? "header" : "body-hash",
      retry: Number.isInteger(retry) && retry >= 0 ? retry : 0,
      flow: flow === "Primary" || flow === "Secondary" ? flow : null,
      webhookEvent: read.webhookEvent,
      occurredAt: read.occurredAt,
      event: read.event,
      body: json,
    },
  };
}

/** The issue fields a webhook body carries, if any: enough to tell whether a customer is concerned. */
export function issueFieldsOfPayload(payload: unknown): Record<string, unknown> | null {
  const fields = (payload as { issue?: { fields?: unknown } } | null)?.issue?.fields;
  return typeof fields === "object" && fields !== null ? (fields as Record<string, unknown>) : null;
}

type PayloadRead = { ok: true; webhookEvent: string; occurredAt: Date | null; event: JiraWebhookEvent } | { ok: false; error: string };

/** The event in a parsed body: what a delivery says, and what a stored one (inbound_events.payload) said. */
export function readJiraPayload(json: unknown): PayloadRead {
  const base = ZBase.safeParse(json);
  if (!base.success) return { ok: false, error: `not a Jira webhook: ${describe(base.error)}` };
  const webhookEvent = base.data.webhookEvent;
  const occurredAt = typeof base.data.timestamp === "number" ? new Date(base.data.timestamp) : null;

  let event: JiraWebhookEvent;
  const fail = (e: z.ZodError): PayloadRead => ({ ok: false, error: `${webhookEvent}: ${describe(e)}` });
  switch (webhookEvent) {
    case "jira:issue_created":
    case "jira:issue_updated":
    case "jira:issue_deleted": {
      const p = ZIssueEventPayload.safeParse(json);
      if (!p.success) return fail(p.error);
      if (webhookEvent === "jira:issue_updated") event = issueUpdated(p.data);
      else event = { type: webhookEvent === "jira:issue_created" ? "issue_created" : "issue_deleted", issue: issueRef(p.data.issue), user: person(p.data.user) };
      break;
    }
    case "comment_created":
    case "comment_updated":
    case "comment_deleted": {
      const p = ZCommentEventPayload.safeParse(json);
      if (!p.success) return fail(p.error);
      const issue = p.data.issue ? issueRef(p.data.issue) : issueFromCommentSelf(p.data.comment.self);
      event = { type: webhookEvent, issue, comment: commentView(p.data.comment) };
      break;
    }
    case "attachment_created":
    case "attachment_deleted": {
      // Not captured in the vendor samples; shape after jira.js's payload notes (entity named `attachment`).
      const p = ZAttachmentEventPayload.safeParse(json);
      if (!p.success) return fail(p.error);
      event = { type: webhookEvent, issue: p.data.issue ? issueRef(p.data.issue) : null, attachment: { id: p.data.attachment.id, filename: p.data.attachment.filename ?? null } };
      break;
    }
    default:
      event = { type: "ignored", webhookEvent };
  }
  return { ok: true, webhookEvent, occurredAt, event };
}
