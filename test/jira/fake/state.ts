/**
 * The fake Jira's in-memory site: one project with a small workflow, priorities, a create
 * screen with a few custom fields, users, and whatever issues the tests create.
 */

export type FakeDeployment = "cloud" | "datacenter";

export type FakeStatus = { id: string; name: string; category: { id: number; key: "new" | "indeterminate" | "done"; name: string; colorName: string } };
export type FakeTransition = { id: string; name: string; to: string };
export type FakeUser = { accountId: string; name: string; key: string; displayName: string; emailAddress: string };
export type FakeCustomField = { id: string; name: string; type: "text" | "textarea" | "select" | "number"; options?: { id: string; value: string }[] };

export type FakeComment = {
  id: string;
  body: unknown;
  author: FakeUser;
  created: Date;
  updated: Date;
  /** JSM: false for internal comments. */
  jsdPublic: boolean;
  properties: Map<string, unknown>;
  visibility?: { type: string; value: string };
};

export type FakeAttachment = { id: string; filename: string; mimeType: string; size: number; bytes: Uint8Array; created: Date; author: FakeUser };

/** An OAuth app's dynamic webhook (POST /rest/api/3/webhook); Jira drops it once `expiresAt` passes. */
export type FakeDynamicWebhook = { id: number; url: string; events: string[]; jqlFilter: string; fieldIdsFilter?: string[]; expiresAt: number };

export type FakeIssue = {
  id: string;
  key: string;
  issueTypeId: string;
  summary: string;
  description: unknown;
  statusId: string;
  priorityId: string;
  labels: string[];
  /** Component names (the CSM requirements' component link strategy). */
  components?: string[];
  assignee: FakeUser | null;
  reporter: FakeUser;
  custom: Record<string, unknown>;
  created: Date;
  updated: Date;
  comments: FakeComment[];
  attachments: FakeAttachment[];
  properties: Map<string, unknown>;
};

export const statusCategories = {
  new: { id: 2, key: "new", name: "To Do", colorName: "blue-gray" },
  indeterminate: { id: 4, key: "indeterminate", name: "In Progress", colorName: "yellow" },
  done: { id: 3, key: "done", name: "Done", colorName: "green" },
} as const;

export class FakeState {
  readonly project = { id: "10000", key: "SUP", name: "Support Escalations" };
  readonly issueTypes = [
    { id: "10001", name: "Task", subtask: false },
    { id: "10002", name: "Bug", subtask: false },
  ];
  statuses: FakeStatus[] = [
    { id: "10000", name: "To Do", category: statusCategories.new },
    { id: "3", name: "In Progress", category: statusCategories.indeterminate },
    { id: "10002", name: "Waiting for customer", category: statusCategories.indeterminate },
    { id: "10001", name: "Done", category: statusCategories.done },
  ];
  readonly transitions: FakeTransition[] = [
    { id: "11", name: "To Do", to: "10000" },
    { id: "21", name: "Start progress", to: "3" },
    { id: "31", name: "Done", to: "10001" },
    { id: "41", name: "Wait for customer", to: "10002" },
  ];
  readonly priorities = [
    { id: "1", name: "Highest" },
    { id: "2", name: "High" },
    { id: "3", name: "Medium" },
    { id: "4", name: "Low" },
    { id: "5", name: "Lowest" },
  ];
  readonly customFields: FakeCustomField[] = [
    { id: "customfield_10001", name: "Account address", type: "text" },
    {
      id: "customfield_10002",
      name: "Category",
      type: "select",
      options: [
        { id: "10100", value: "Billing" },
        { id: "10101", value: "Technical" },
        { id: "10102", value: "Other" },
      ],
    },
    { id: "customfield_10003", name: "Customer notes", type: "textarea" },
    { id: "customfield_10004", name: "Seats", type: "number" },
  ];
  /** Fields on the create and edit screens besides the custom ones. */
  readonly screenFields = ["project", "issuetype", "summary", "description", "priority", "labels", "assignee", "reporter"];
  readonly users: FakeUser[] = [
    { accountId: "5b10ac8d82e05b22cc7d4ef5", name: "syncbot", key: "JIRAUSER10100", displayName: "Switchboard Sync", emailAddress: "sync@example.com" },
    { accountId: "5c5f880629be9642ba529340", name: "dev.ana", key: "JIRAUSER10101", displayName: "Ana Developer", emailAddress: "ana@example.com" },
  ];
  readonly issues: FakeIssue[] = [];
  /** Dynamic webhooks registered by the OAuth app, live or expired (listing hides expired ones). */
  readonly dynamicWebhooks: FakeDynamicWebhook[] = [];
  nextWebhookId = 1000;
  private nextIssueId = 10040;
  private nextNumber = 1;
  private nextCommentId = 10500;
  private nextAttachmentId = 10900;

  constructor(readonly now: () => Date) {}

  get actor(): FakeUser {
    return this.users[0]!;
  }

  status(id: string): FakeStatus | undefined {
    return this.statuses.find((s) => s.id === id);
  }

  findIssue(idOrKey: string): FakeIssue | undefined {
    const upper = idOrKey.toUpperCase();
    return this.issues.find((i) => i.id === idOrKey || i.key === upper);
  }

  newIssue(init: Omit<FakeIssue, "id" | "key" | "created" | "updated" | "comments" | "attachments" | "properties" | "statusId"> & { properties?: Map<string, unknown> }): FakeIssue {
    const at = this.now();
    const issue: FakeIssue = {
      ...init,
      id: String(this.nextIssueId++),
      key: `${this.project.key}-${this.nextNumber++}`,
      statusId: "10000",
      created: at,
      updated: at,
      comments: [],
      attachments: [],
      properties: init.properties ?? new Map(),
    };
    this.issues.push(issue);
    return issue;
  }

  /** A Task-like issue nobody is assigned to, reported by the connector's user: what most tests need. */
  plainIssue(summary: string, init: Partial<Parameters<FakeState["newIssue"]>[0]> = {}): FakeIssue {
    return this.newIssue({ issueTypeId: "10002", summary, description: null, priorityId: "3", labels: [], assignee: null, reporter: this.actor, custom: {}, ...init });
  }

  touch(issue: FakeIssue): void {
    issue.updated = this.now();
  }

  newComment(issue: FakeIssue, body: unknown, jsdPublic: boolean, properties: Map<string, unknown>, visibility?: { type: string; value: string }): FakeComment {
    const at = this.now();
    const comment: FakeComment = { id: String(this.nextCommentId++), body, author: this.actor, created: at, updated: at, jsdPublic, properties, ...(visibility ? { visibility } : {}) };
    issue.comments.push(comment);
    this.touch(issue);
    return comment;
  }

  newAttachment(issue: FakeIssue, file: { filename: string; mimeType: string; bytes: Uint8Array }): FakeAttachment {
    const attachment: FakeAttachment = { id: String(this.nextAttachmentId++), ...file, size: file.bytes.byteLength, created: this.now(), author: this.actor };
    issue.attachments.push(attachment);
    this.touch(issue);
    return attachment;
  }
}

/** Jira's timestamp format: milliseconds and an offset without a colon. */
export function jiraTime(d: Date): string {
  return d.toISOString().replace("Z", "+0000");
}
