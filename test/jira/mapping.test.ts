import { describe, expect, it } from "vitest";
import {
  buildCreateIssuePayload,
  diffAgainstSnapshot,
  expectedRemoteAfterPush,
  localSyncValues,
  parseJiraMapping,
  remoteSyncValues,
  ticketStatusFor,
  ZJiraMapping,
  type JiraMapping,
  type SyncSnapshot,
  type TicketForJira,
} from "../../src/connectors/jira/mapping.js";
import { markdownToJira } from "../../src/connectors/jira/text.js";
import type { JiraIssueView } from "../../src/connectors/jira/types.js";
import { isAdf } from "./fake/adf.js";

const mapping = parseJiraMapping({
  status: {
    fromJira: [
      { match: { statusId: "10050" }, ticketStatus: "waiting_on_customer" },
      { match: { categoryKey: "done" }, ticketStatus: "resolved" },
      { match: { categoryKey: "indeterminate" }, ticketStatus: "in_progress" },
      { match: { categoryKey: "new" }, ticketStatus: null },
    ],
    toJira: [{ ticketStatus: "resolved", target: { categoryKey: "done" } }],
  },
  customFields: [
    { key: "accountAddress", source: "customFields.accountAddress", jiraField: "customfield_10001", type: "text" },
    { key: "category", source: "category", jiraField: "customfield_10002", type: "select", options: { billing: "Billing", technical: "Technical" } },
  ],
  labels: { static: ["switchboard"], fromTags: true },
  ownership: { priority: "both", status: "jira", summary: "ticket", "custom.category": "both" },
});

const ticket: TicketForJira & { requester: { email: string; name: string }; organization: string } = {
  id: "11111111-2222-4333-8444-555555555555",
  number: "SUP-00042",
  subject: "Invoice\nis wrong",
  description: "Amount **doubled**",
  priority: "urgent",
  status: "open",
  category: "billing",
  tags: ["big account", "emea"],
  customFields: { accountAddress: "12 Long St, Cape Town", secretNote: "do not send" },
  assigneeEmail: null,
  // Customer data the mapping does not list: it must never reach Jira.
  requester: { email: "jane.customer@example.org", name: "Jane Customer" },
  organization: "Acme Pty",
};

function issue(overrides: Partial<JiraIssueView> = {}): JiraIssueView {
  return {
    id: "10040",
    key: "SUP-1",
    summary: "Invoice is wrong",
    description: markdownToJira("Amount **doubled**", "cloud"),
    status: { id: "10000", name: "To Do", categoryKey: "new" },
    priority: { id: "1", name: "Highest" },
    assignee: null,
    labels: ["switchboard", "big_account", "emea", `switchboard-${ticket.id}`],
    created: new Date("2026-12-01T10:00:00Z"),
    updated: new Date("2026-12-01T10:00:00Z"),
    fields: { customfield_10001: "12 Long St, Cape Town", customfield_10002: { value: "Billing", id: "10100" } },
    properties: {},
    ...overrides,
  };
}

describe("mapping schema", () => {
  it("has defaults and validates a configuration", () => {
    const defaults = parseJiraMapping({});
    expect(defaults.priority.toJira).toEqual({ urgent: "1", high: "2", medium: "3", low: "4" });
    expect(defaults.status.fromJira).toEqual([{ match: { categoryKey: "done" }, ticketStatus: "resolved" }]);
    expect(defaults.marker).toEqual({ labelPrefix: "switchboard-", propertyKey: "switchboard" });
  });

  it("refuses status rules by display name, unknown fields and duplicate mappings", () => {
    expect(ZJiraMapping.safeParse({ status: { fromJira: [{ match: { name: "Done" }, ticketStatus: "resolved" }], toJira: [] } }).success).toBe(false);
    expect(ZJiraMapping.safeParse({ status: { fromJira: [{ match: { statusId: "Done" }, ticketStatus: "resolved" }], toJira: [] } }).success).toBe(false);
    expect(ZJiraMapping.safeParse({ ownership: { reporter: "jira" } }).success).toBe(false);
    expect(ZJiraMapping.safeParse({ ownership: { "custom.nope": "jira" } }).success).toBe(false);
    const dup = ZJiraMapping.safeParse({
      customFields: [
        { key: "a", source: "category", jiraField: "customfield_1", type: "text" },
        { key: "a", source: "category", jiraField: "customfield_1", type: "text" },
      ],
    });
    expect(dup.success).toBe(false);
    expect(ZJiraMapping.safeParse({ customFields: [{ key: "a", source: "requester.email", jiraField: "customfield_1", type: "text" }] }).success).toBe(false);
    expect(ZJiraMapping.safeParse({ labels: { static: ["has space"] } }).success).toBe(false);
    expect(ZJiraMapping.safeParse({ priority: { toJira: { low: "4", medium: "3", high: "2" }, fromJira: {} } }).success).toBe(false);
  });
});

describe("status mapping", () => {
  it("maps by status category, so a translated status name changes nothing", () => {
    expect(ticketStatusFor({ id: "10001", categoryKey: "done" }, mapping)).toBe("resolved");
    // The same workflow seen by a German-speaking user: other names, same ids and categories.
    const erledigt = remoteSyncValues(issue({ status: { id: "10001", name: "Erledigt", categoryKey: "done" } }), mapping);
    const done = remoteSyncValues(issue({ status: { id: "10001", name: "Done", categoryKey: "done" } }), mapping);
    expect(erledigt.status).toBe("resolved");
    expect(done.status).toBe(erledigt.status);
    // A status called "Done" that is not in the done category is not treated as done.
    expect(remoteSyncValues(issue({ status: { id: "10077", name: "Done", categoryKey: "indeterminate" } }), mapping).status).toBe("in_progress");
  });

  it("lets a status id rule win over its category, and null leaves the ticket alone", () => {
    expect(ticketStatusFor({ id: "10050", categoryKey: "indeterminate" }, mapping)).toBe("waiting_on_customer");
    expect(ticketStatusFor({ id: "10000", categoryKey: "new" }, mapping)).toBeNull();
    expect(ticketStatusFor(null, mapping)).toBeNull();
    expect(ticketStatusFor({ id: "1", categoryKey: "undefined" }, mapping)).toBeNull();
  });
});

describe("create-issue payload", () => {
  it("builds ADF on Cloud with priority, labels, custom fields and the marker, and nothing unlisted", () => {
    const payload = buildCreateIssuePayload(ticket, mapping, { deployment: "cloud", projectKey: "SUP", issueType: "Task" });
    expect(payload.fields).toMatchObject({
      project: { key: "SUP" },
      issuetype: { name: "Task" },
      summary: "Invoice is wrong",
      priority: { id: "1" },
      labels: ["big_account", "emea", "switchboard", `switchboard-${ticket.id}`],
      customfield_10001: "12 Long St, Cape Town",
      customfield_10002: { value: "Billing" },
    });
    expect(isAdf(payload.fields.description)).toBe(true);
    expect(payload.properties).toEqual([{ key: "switchboard", value: { ticketId: ticket.id, ticketNumber: "SUP-00042" } }]);
    const json = JSON.stringify(payload);
    for (const secret of ["jane.customer@example.org", "Jane Customer", "Acme Pty", "do not send"]) expect(json).not.toContain(secret);
  });

  it("builds wiki markup on DC and takes an issue type id as an id", () => {
    const payload = buildCreateIssuePayload(ticket, mapping, { deployment: "datacenter", projectKey: "SUP", issueType: "10002" });
    expect(payload.fields.description).toBe("Amount *doubled*");
    expect(payload.fields.issuetype).toEqual({ id: "10002" });
  });

  it("caps the summary at 255 characters on one line and leaves out empty custom values", () => {
    const payload = buildCreateIssuePayload({ ...ticket, subject: `${"x".repeat(300)}\n`, customFields: {} }, mapping, { deployment: "cloud", projectKey: "SUP", issueType: "Task" });
    expect(payload.fields.summary).toBe("x".repeat(255));
    expect(payload.fields).not.toHaveProperty("customfield_10001");
  });
});

describe("diff against the last-synced snapshot", () => {
  const deployment = "cloud" as const;
  const t0 = new Date("2026-12-01T10:00:00Z");
  const t1 = new Date("2026-12-01T11:00:00Z");
  const t2 = new Date("2026-12-01T12:00:00Z");

  /** The state right after we created the issue: both sides agree, Jira as it reads back. */
  function syncedSnapshot(m: JiraMapping = mapping): SyncSnapshot {
    const local = localSyncValues(ticket, m);
    return { local, remote: expectedRemoteAfterPush(local, m, deployment), syncedAt: t0.toISOString() };
  }

  it("recognises our own change coming back as an echo", () => {
    const snapshot = syncedSnapshot();
    const plan = diffAgainstSnapshot({ remote: remoteSyncValues(issue(), mapping), remoteUpdatedAt: t1, local: localSyncValues(ticket, mapping), localUpdatedAt: t0, snapshot, mapping, deployment, now: t1 });
    expect(plan.echo).toBe(true);
    expect(plan.toTicket).toEqual({});
    expect(plan.toJira).toEqual({});
  });

  it("brings a Jira-owned status change to the ticket", () => {
    const remote = remoteSyncValues(issue({ status: { id: "10001", name: "Fertig", categoryKey: "done" } }), mapping);
    const plan = diffAgainstSnapshot({ remote, remoteUpdatedAt: t1, local: localSyncValues(ticket, mapping), localUpdatedAt: t0, snapshot: syncedSnapshot(), mapping, deployment, now: t1 });
    expect(plan.echo).toBe(false);
    expect(plan.toTicket).toEqual({ status: "resolved" });
    expect(plan.nextSnapshot.remote.status).toBe("resolved");
    expect(plan.nextSnapshot.local.status).toBe("resolved");
  });

  it("ignores a status the mapping leaves alone and a Jira edit of a ticket-owned field", () => {
    const snapshot = syncedSnapshot();
    const moved = { ...snapshot, remote: { ...snapshot.remote, status: "in_progress" } };
    const remote = remoteSyncValues(issue({ summary: "Edited in Jira", status: { id: "10000", name: "To Do", categoryKey: "new" } }), mapping);
    const plan = diffAgainstSnapshot({ remote, remoteUpdatedAt: t1, local: localSyncValues(ticket, mapping), localUpdatedAt: t0, snapshot: moved, mapping, deployment, now: t1 });
    expect(plan.toTicket).toEqual({});
    expect(plan.toJira).toEqual({});
  });

  it("sends ticket-owned changes to Jira and predicts what Jira will read back", () => {
    const changed = { ...ticket, subject: "Invoice   wrong twice", description: "line one\nline two" };
    const plan = diffAgainstSnapshot({ remote: remoteSyncValues(issue(), mapping), remoteUpdatedAt: t0, local: localSyncValues(changed, mapping), localUpdatedAt: t1, snapshot: syncedSnapshot(), mapping, deployment, now: t1 });
    expect(plan.toJira).toEqual({ summary: "Invoice   wrong twice", description: "line one\nline two" });
    expect(plan.nextSnapshot.remote.summary).toBe("Invoice wrong twice");
    // Markdown soft breaks do not survive ADF; the snapshot expects what Jira will hold.
    expect(plan.nextSnapshot.remote.description).toBe("line one line two");
    const echo = diffAgainstSnapshot({
      remote: { ...remoteSyncValues(issue(), mapping), summary: "Invoice wrong twice", description: "line one line two" },
      remoteUpdatedAt: t2,
      local: localSyncValues(changed, mapping),
      localUpdatedAt: t1,
      snapshot: plan.nextSnapshot,
      mapping,
      deployment,
      now: t2,
    });
    expect(echo.echo).toBe(true);
    expect(echo.toJira).toEqual({});
  });

  it("resolves a two-way field changed on both sides by last writer, and records the conflict", () => {
    const local = localSyncValues({ ...ticket, priority: "low" }, mapping);
    const remote = remoteSyncValues(issue({ priority: { id: "2", name: "High" } }), mapping);
    const jiraLater = diffAgainstSnapshot({ remote, remoteUpdatedAt: t2, local, localUpdatedAt: t1, snapshot: syncedSnapshot(), mapping, deployment, now: t2 });
    expect(jiraLater.toTicket).toEqual({ priority: "high" });
    expect(jiraLater.conflicts).toEqual([{ field: "priority", winner: "jira", ticketValue: "low", jiraValue: "high" }]);
    const ticketLater = diffAgainstSnapshot({ remote, remoteUpdatedAt: t1, local, localUpdatedAt: { priority: t2 }, snapshot: syncedSnapshot(), mapping, deployment, now: t2 });
    expect(ticketLater.toJira).toEqual({ priority: "low" });
    expect(ticketLater.conflicts[0]!.winner).toBe("ticket");
    const tie = diffAgainstSnapshot({ remote, remoteUpdatedAt: t1, local, localUpdatedAt: t1, snapshot: syncedSnapshot(), mapping, deployment, now: t2 });
    expect(tie.toJira).toEqual({ priority: "low" });
  });

  it("sends a two-way change the way it went when only one side changed", () => {
    const remote = remoteSyncValues(issue({ fields: { ...issue().fields, customfield_10002: { value: "Technical", id: "10101" } } }), mapping);
    const plan = diffAgainstSnapshot({ remote, remoteUpdatedAt: t1, local: localSyncValues(ticket, mapping), localUpdatedAt: t0, snapshot: syncedSnapshot(), mapping, deployment, now: t1 });
    expect(plan.toTicket).toEqual({ "custom.category": "technical" });
    expect(plan.conflicts).toEqual([]);
  });

  it("links an existing issue without a snapshot: owners decide, two-way fields by timestamp", () => {
    const remote = remoteSyncValues(issue({ summary: "Jira's title", status: { id: "3", name: "In Progress", categoryKey: "indeterminate" }, priority: { id: "3", name: "Medium" } }), mapping);
    const plan = diffAgainstSnapshot({ remote, remoteUpdatedAt: t2, local: localSyncValues(ticket, mapping), localUpdatedAt: t1, snapshot: null, mapping, deployment, now: t2 });
    expect(plan.echo).toBe(false);
    expect(plan.toTicket).toEqual({ status: "in_progress", priority: "medium" });
    expect(plan.toJira).toEqual({ summary: "Invoice\nis wrong" });
    expect(plan.conflicts).toEqual([]);
  });
});
