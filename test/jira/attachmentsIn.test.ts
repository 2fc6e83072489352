import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { configureJira } from "../../src/connectors/jira/jiraSettings.js";
import { attachments, messages } from "../../src/db/schema/index.js";
import type { FakeIssue } from "./fake/state.js";
import { useConnectedHarness, WEBHOOK_SECRET, type Harness } from "./syncHarness.js";

const PNG = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex");

describe("attachments from Jira to tickets", () => {
  let h: Harness;
  useConnectedHarness({}, (started) => (h = started));

  const notes = async (ticketId: string) => (await h.ctx.db.select().from(messages).where(eq(messages.ticketId, ticketId))).filter((m) => m.channel === "jira");
  const filesOf = async (ticketId: string) => h.ctx.db.select().from(attachments).where(eq(attachments.ticketId, ticketId));
  /** A file a developer (not the connector's user) adds in Jira. */
  const addInJira = (issue: FakeIssue, filename: string, bytes: Buffer, mimeType = "text/plain") => {
    const a = h.fake.state.newAttachment(issue, { filename, mimeType, bytes: new Uint8Array(bytes) });
    a.author = h.fake.state.users[1]!;
    return a;
  };
  const attachmentAdded = (issue: FakeIssue, id: string, filename: string, deliveryId?: string) =>
    h.fake.issueUpdatedDelivery(issue.key, [{ field: "Attachment", fieldtype: "jira", fieldId: "attachment", from: null, fromString: null, to: id, toString: filename }], { secret: WEBHOOK_SECRET, ...(deliveryId ? { deliveryId } : {}) });

  it("copies a developer's file once to every linked ticket, however often the webhook comes, and never echoes our own upload", async () => {
    const t = await h.ticket({ subject: "Crash on export" });
    await h.attach(t.id, h.customer, "screenshot.png", PNG);
    const link = await h.escalate(t.id);
    const issue = h.fake.state.findIssue(link.remoteKey!)!;
    // The escalation uploaded the customer's file: that one is ours.
    expect(issue.attachments.map((a) => a.filename)).toEqual(["screenshot.png"]);
    const other = await h.ticket({ subject: "Same crash, another customer" });
    expect((await h.ctx.app.inject({ method: "POST", url: `/api/v1/tickets/${other.id}/jira/link`, headers: { authorization: `Bearer ${h.agent.token}` }, payload: { key: issue.key } })).statusCode).toBe(201);

    const log = Buffer.from("ERROR export failed at row 42\n");
    const a = addInJira(issue, "trace.log", log);
    // Jira retries the same delivery, and also sends the update twice under different ids.
    const first = attachmentAdded(issue, a.id, "trace.log", "delivery-attachment-1");
    expect((await h.deliver(first)).statusCode).toBe(202);
    expect((await h.deliver(first)).json()).toMatchObject({ duplicate: true });
    await h.deliver(attachmentAdded(issue, a.id, "trace.log"));
    await h.idle();
    await h.deliver(attachmentAdded(issue, a.id, "trace.log"));
    await h.idle();

    for (const ticketId of [t.id, other.id]) {
      const jiraNotes = await notes(ticketId);
      expect(jiraNotes.map((m) => m.body)).toEqual([`Attachment added in Jira by Ana Developer: trace.log (${issue.key})`]);
      expect(jiraNotes[0]!.isInternal).toBe(true);
      const copied = (await filesOf(ticketId)).filter((f) => f.messageId === jiraNotes[0]!.id);
      expect(copied).toHaveLength(1);
      expect(copied[0]).toMatchObject({ filename: "trace.log", contentType: "text/plain", isInternal: true, sizeBytes: log.length, sha256: createHash("sha256").update(log).digest("hex") });
    }
    // Downloaded without a redirect through the API, and only the developer's file.
    const downloads = h.fake.apiCalls("getAttachmentContent");
    expect(downloads.length).toBeGreaterThanOrEqual(1);
    expect(downloads.every((d) => d.path === `/rest/api/3/attachment/content/${a.id}` && d.query.get("redirect") === "false")).toBe(true);
    expect(await h.eventTypes(t.id)).toContain("attachment.added");
  });

  it("notes a file over the ticket attachment limit instead of copying it, once", async () => {
    const config = h.ctx.config as { ATTACHMENT_MAX_BYTES: number };
    const limit = config.ATTACHMENT_MAX_BYTES;
    config.ATTACHMENT_MAX_BYTES = 1024;
    configureJira(h.ctx.config);
    try {
      const t = await h.ticket({ subject: "Huge dump" });
      const link = await h.escalate(t.id);
      const issue = h.fake.state.findIssue(link.remoteKey!)!;
      const honest = addInJira(issue, "heap.json", Buffer.alloc(4096, 0x20));
      // Says it is small; the download finds out (Content-Length) and stops.
      const lying = addInJira(issue, "core.log", Buffer.alloc(2048, 0x41));
      lying.size = 10;
      await h.deliver(attachmentAdded(issue, honest.id, "heap.json"));
      await h.deliver(attachmentAdded(issue, lying.id, "core.log"));
      await h.idle();
      await h.deliver(attachmentAdded(issue, lying.id, "core.log"));
      await h.idle();
      const bodies = (await notes(t.id)).map((m) => m.body).sort();
      expect(bodies).toEqual([
        `Attachment added in Jira by Ana Developer: core.log (${issue.key}). Not copied here: 2.0 KB, larger than the 1.0 KB limit for ticket attachments. Open the issue in Jira to get it.`,
        `Attachment added in Jira by Ana Developer: heap.json (${issue.key}). Not copied here: 4.0 KB, larger than the 1.0 KB limit for ticket attachments. Open the issue in Jira to get it.`,
      ]);
      expect(await filesOf(t.id)).toEqual([]);
      // The honest one was never downloaded.
      expect(h.fake.apiCalls("getAttachmentContent").filter((d) => d.path.endsWith(`/${honest.id}`))).toEqual([]);
    } finally {
      config.ATTACHMENT_MAX_BYTES = limit;
      configureJira(h.ctx.config);
    }
  });

  it("finds a new file through the reconcile poll too, and says why a file of a refused type was not copied", async () => {
    const { reconcileJob } = await import("../../src/connectors/jira/jobs/reconcileJob.js");
    const { enqueue } = await import("../../src/jobs/enqueue.js");
    const t = await h.ticket({ subject: "Webhook lost, file added" });
    const link = await h.escalate(t.id);
    const issue = h.fake.state.findIssue(link.remoteKey!)!;
    addInJira(issue, "tool.exe", Buffer.concat([Buffer.from("MZ"), Buffer.alloc(200, 1)]), "application/octet-stream");
    const connectionId = await h.connectionId();
    await h.ctx.db.transaction((tx) => enqueue(tx, reconcileJob, { connectionId }, { queue: h.queue }));
    await h.idle();
    const [note] = await notes(t.id);
    expect(note!.body).toMatch(new RegExp(`^Attachment added in Jira by Ana Developer: tool\\.exe \\(${issue.key}\\)\\. Not copied here: `));
    expect(await filesOf(t.id)).toEqual([]);
  });
});
