import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createJiraClient } from "../../src/connectors/jira/client.js";
import { parseJiraWebhook, verifyJiraSignature, type JiraWebhookEvent, type ParsedJiraWebhook } from "../../src/connectors/jira/webhook.js";
import { startFakeJira, type FakeJira } from "./fake/fakeJira.js";
import { deliver, readSample, sampleDelivery, webhookSamples, type WebhookSample } from "./fake/webhooks.js";
import { connectionFor } from "./helpers.js";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "..", "contracts", "jira");
type Vector = { body?: string; bodyFile?: string; signature: string };
const vectors = JSON.parse(readFileSync(join(fixtures, "jira-signature-vectors.json"), "utf8")) as { secret: string; vectors: Vector[]; wrongSecret: { secret: string; body: string; signature: string } };
const bodyOf = (v: Vector) => (v.bodyFile ? readFileSync(join(fixtures, v.bodyFile)) : Buffer.from(v.body!, "utf8"));

function parsed(name: WebhookSample, headers: Record<string, string> = {}): ParsedJiraWebhook {
  const result = parseJiraWebhook({ rawBody: readSample(name), headers });
  if (!result.ok) throw new Error(result.error);
  return result.webhook;
}

type EventOf<T extends JiraWebhookEvent["type"]> = JiraWebhookEvent & { type: T };

function eventOf<T extends JiraWebhookEvent["type"]>(w: ParsedJiraWebhook, type: T): EventOf<T> {
  expect(w.event.type).toBe(type);
  return w.event as EventOf<T>;
}

describe("X-Hub-Signature verification", () => {
  it("accepts every vector", () => {
    for (const v of vectors.vectors) expect(verifyJiraSignature({ rawBody: bodyOf(v), signature: v.signature, secret: vectors.secret })).toEqual({ ok: true });
    const w = vectors.wrongSecret;
    expect(verifyJiraSignature({ rawBody: w.body, signature: w.signature, secret: w.secret })).toEqual({ ok: true });
  });

  it("refuses a tampered body, a wrong secret, and missing or malformed signatures", () => {
    const v = vectors.vectors[0]!;
    const body = bodyOf(v);
    const tampered = Buffer.from(body);
    tampered[tampered.indexOf("Done")] = "d".charCodeAt(0);
    expect(verifyJiraSignature({ rawBody: tampered, signature: v.signature, secret: vectors.secret })).toEqual({ ok: false, reason: "mismatch" });
    expect(verifyJiraSignature({ rawBody: Buffer.concat([body, Buffer.from("\n")]), signature: v.signature, secret: vectors.secret })).toEqual({ ok: false, reason: "mismatch" });
    expect(verifyJiraSignature({ rawBody: body, signature: v.signature, secret: vectors.wrongSecret.secret })).toEqual({ ok: false, reason: "mismatch" });
    expect(verifyJiraSignature({ rawBody: vectors.wrongSecret.body, signature: vectors.wrongSecret.signature, secret: vectors.secret })).toEqual({ ok: false, reason: "mismatch" });
    expect(verifyJiraSignature({ rawBody: body, signature: undefined, secret: vectors.secret })).toEqual({ ok: false, reason: "missing" });
    expect(verifyJiraSignature({ rawBody: body, signature: v.signature.replace("sha256=", "sha1="), secret: vectors.secret })).toEqual({ ok: false, reason: "unsupported_algorithm" });
    expect(verifyJiraSignature({ rawBody: body, signature: v.signature.slice(0, -2), secret: vectors.secret })).toEqual({ ok: false, reason: "malformed" });
    expect(verifyJiraSignature({ rawBody: body, signature: "sha256=not-hex", secret: vectors.secret })).toEqual({ ok: false, reason: "malformed" });
    expect(verifyJiraSignature({ rawBody: body, signature: v.signature.toUpperCase().replace("SHA256=", "sha256="), secret: vectors.secret })).toEqual({ ok: true });
    expect(() => verifyJiraSignature({ rawBody: body, signature: v.signature, secret: "" })).toThrow(/empty/);
  });

  it("verifies what the fake signs when it replays a sample", () => {
    const d = sampleDelivery("jira-webhook-cloud-comment-created", { secret: "a-long-shared-secret" });
    expect(verifyJiraSignature({ rawBody: d.body, signature: d.headers["x-hub-signature"], secret: "a-long-shared-secret" })).toEqual({ ok: true });
  });
});

describe("parsing the captured payloads", () => {
  it("parses every copied sample", () => {
    for (const name of webhookSamples) expect(parseJiraWebhook({ rawBody: readSample(name), headers: {} }).ok, name).toBe(true);
  });

  it("jira:issue_created", () => {
    const w = parsed("jira-webhook-issue-created");
    expect(w.webhookEvent).toBe("jira:issue_created");
    expect(w.occurredAt).toEqual(new Date(1550286113023));
    const e = eventOf(w, "issue_created");
    expect(e.issue).toEqual({ id: "10040", key: "TES-41", projectKey: "TES" });
    expect(e.user).toEqual({ accountId: "5c5f880629be9642ba529340", name: "admin", email: "some-instance-test@gmail.com", displayName: "Test User" });
  });

  it("jira:issue_updated with a status change from the changelog", () => {
    const e = eventOf(parsed("jira-webhook-issue-updated-resolved"), "issue_updated");
    expect(e.issue.key).toBe("TES-41");
    expect(e.issueEventType).toBe("issue_generic");
    expect(e.status).toEqual({ from: { id: "3", name: "In Progress" }, to: { id: "10002", name: "Done" } });
    expect(e.assignee).toBeNull();
    expect(e.priority).toBeNull();
    expect(e.attachments).toEqual([]);
    expect(e.changes.map((c) => c.field)).toEqual(["resolution", "status"]);
  });

  it("jira:issue_deleted", () => {
    const e = eventOf(parsed("jira-webhook-issue-deleted"), "issue_deleted");
    expect(e.issue).toEqual({ id: "10303", key: "IDT-19", projectKey: "IDT" });
  });

  it("comment_created / updated / deleted on Cloud", () => {
    const created = eventOf(parsed("jira-webhook-cloud-comment-created"), "comment_created");
    expect(created.issue).toEqual({ id: "10040", key: "TES-41", projectKey: "TES" });
    expect(created.comment).toMatchObject({ id: "10019", markdown: "Added a comment", jsdPublic: true, author: { accountId: "5c5f880629be9642ba529340", email: null } });
    expect(created.comment.created).toEqual(new Date("2019-02-16T03:11:18.321Z"));
    const updated = eventOf(parsed("jira-webhook-cloud-comment-updated"), "comment_updated");
    expect(updated.comment.markdown).toBe("Added a comment, then edited it");
    expect(updated.comment.updated).toEqual(new Date("2019-02-16T03:12:08.432Z"));
    const deleted = eventOf(parsed("jira-webhook-cloud-comment-deleted"), "comment_deleted");
    expect(deleted.issue?.key).toBe("KT-7");
    expect(deleted.comment.id).toBe("10757");
    // The capture's emailAddress is `"?"` (hidden by privacy settings), not an address.
    expect(deleted.comment.author?.email).toBeNull();
  });

  it("comment_created on Server/DC, which names its issue only in the comment's link", () => {
    const e = eventOf(parsed("jira-webhook-server-comment-created"), "comment_created");
    expect(e.issue).toEqual({ id: "10013", key: null, projectKey: null });
    expect(e.comment).toMatchObject({ id: "10082", markdown: "unik", jsdPublic: null, author: { name: "levbrouk", accountId: null, email: "lev@mattermost.com" } });
  });

  it("takes the delivery id from X-Atlassian-Webhook-Identifier, else a hash of the body", () => {
    const withHeader = parsed("jira-webhook-cloud-comment-created", { "X-Atlassian-Webhook-Identifier": "d-123", "X-Atlassian-Webhook-Retry": "2", "X-Atlassian-Webhook-Flow": "Secondary" });
    expect(withHeader).toMatchObject({ deliveryId: "d-123", deliveryIdSource: "header", retry: 2, flow: "Secondary" });
    const a = parsed("jira-webhook-cloud-comment-created");
    const b = parsed("jira-webhook-cloud-comment-created");
    expect(a.deliveryIdSource).toBe("body-hash");
    expect(a.deliveryId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(a.deliveryId).toBe(b.deliveryId);
    expect(parsed("jira-webhook-cloud-comment-updated").deliveryId).not.toBe(a.deliveryId);
    expect(a.retry).toBe(0);
    expect(a.flow).toBeNull();
  });

  it("refuses bodies that are not JSON or lack their event's shape, and ignores events it does not use", () => {
    expect(parseJiraWebhook({ rawBody: "not json", headers: {} })).toEqual({ ok: false, error: "the body is not JSON" });
    expect(parseJiraWebhook({ rawBody: "[]", headers: {} }).ok).toBe(false);
    expect(parseJiraWebhook({ rawBody: '{"timestamp":1}', headers: {} }).ok).toBe(false);
    expect(parseJiraWebhook({ rawBody: '{"webhookEvent":"jira:issue_updated"}', headers: {} }).ok).toBe(false);
    expect(parseJiraWebhook({ rawBody: '{"webhookEvent":"comment_created","comment":{}}', headers: {} }).ok).toBe(false);
    const ignored = parseJiraWebhook({ rawBody: '{"webhookEvent":"sprint_started","timestamp":5}', headers: {} });
    expect(ignored.ok && ignored.webhook.event).toEqual({ type: "ignored", webhookEvent: "sprint_started" });
  });
});

describe("events the fake builds from its own state (v3-shaped bodies)", () => {
  let fake: FakeJira;
  beforeAll(async () => {
    fake = await startFakeJira({ deployment: "cloud" });
  });
  afterAll(() => fake.close());

  it("parses ADF comment bodies, attachment and assignee changes", async () => {
    const jira = createJiraClient(connectionFor(fake));
    const { key } = await jira.createIssue({ fields: { project: { key: "SUP" }, issuetype: { name: "Task" }, summary: "From the fake" } });
    const comment = await jira.addComment(key, { markdown: "Please **check** the `logs`", internal: true });
    const [attachment] = await jira.addAttachment(key, { filename: "trace.log", contentType: "text/plain", data: new TextEncoder().encode("boom") });

    const c = parseJiraWebhook({ ...toInput(fake.commentDelivery("comment_created", key, comment.id, { deliveryId: "abc" })) });
    expect(c.ok && c.webhook.deliveryId).toBe("abc");
    const ce = c.ok ? (c.webhook.event as EventOf<"comment_created">) : null;
    expect(ce?.comment.markdown).toBe("Please **check** the `logs`");
    expect(ce?.comment.jsdPublic).toBe(false);
    expect(ce?.issue?.key).toBe(key);

    const u = parseJiraWebhook(
      toInput(
        fake.issueUpdatedDelivery(key, [
          { field: "Attachment", fieldtype: "jira", fieldId: "attachment", from: null, fromString: null, to: attachment!.id, toString: "trace.log" },
          { field: "assignee", fieldtype: "jira", fieldId: "assignee", from: null, fromString: null, to: "5c5f880629be9642ba529340", toString: "Ana Developer" },
          { field: "priority", fieldtype: "jira", fieldId: "priority", from: "3", fromString: "Medium", to: "1", toString: "Highest" },
        ]),
      ),
    );
    const ue = u.ok ? (u.webhook.event as EventOf<"issue_updated">) : null;
    expect(ue?.attachments).toEqual([{ change: "added", id: attachment!.id, filename: "trace.log" }]);
    expect(ue?.assignee).toEqual({ from: null, to: "5c5f880629be9642ba529340" });
    expect(ue?.priority).toEqual({ from: { id: "3", name: "Medium" }, to: { id: "1", name: "Highest" } });
  });

  it("replays a signed sample to a receiver that verifies and parses it", async () => {
    const secret = "receiver-shared-secret";
    const seen: string[] = [];
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const rawBody = Buffer.concat(chunks);
        const check = verifyJiraSignature({ rawBody, signature: req.headers["x-hub-signature"] as string | undefined, secret });
        if (!check.ok) {
          res.writeHead(401).end();
          return;
        }
        const result = parseJiraWebhook({ rawBody, headers: req.headers });
        if (!result.ok) {
          res.writeHead(400).end();
          return;
        }
        seen.push(`${result.webhook.deliveryId} ${result.webhook.event.type}`);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/jira`;
    try {
      const good = fake.sampleDelivery("jira-webhook-issue-updated-resolved", { secret, deliveryId: "delivery-1" });
      expect((await deliver(url, good)).status).toBe(204);
      expect((await deliver(url, { ...good, body: good.body.replace("In Progress", "In progress") })).status).toBe(401);
      expect((await deliver(url, fake.sampleDelivery("jira-webhook-issue-updated-resolved", { secret: "someone-elses-secret" }))).status).toBe(401);
      const unsigned = fake.sampleDelivery("jira-webhook-issue-updated-resolved");
      expect((await deliver(url, unsigned)).status).toBe(401);
      expect(seen).toEqual(["delivery-1 issue_updated"]);
    } finally {
      receiver.closeAllConnections();
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});

function toInput(d: { headers: Record<string, string>; body: string }) {
  return { rawBody: d.body, headers: d.headers };
}
