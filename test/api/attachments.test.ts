import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { count, eq } from "drizzle-orm";
import type { LightMyRequestResponse } from "fastify";
import { attachments, messages, ticketEvents } from "../../src/db/schema/index.js";
import { call, createTestContext, json, type TestContext } from "../helpers/testApp.js";
import { buildAgent, buildCustomer, buildTicket, type TestUser } from "../helpers/factories.js";
import { elfBinary, logFile, minimalPdf, tinyPng, windowsExe } from "../fixtures/files.js";
import { multipartBody, type FormPart } from "../fixtures/multipart.js";

type AttachmentJson = { id: string; ticketId: string; messageId: string | null; filename: string; contentType: string; sizeBytes: number; sha256: string; internal: boolean };
type MessageJson = { id: string; body: string; internal: boolean; attachments: AttachmentJson[] };
type File = { filename: string; data: Buffer; contentType?: string; rawFilenameHeader?: string };

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");
const auth = (who: TestUser) => ({ authorization: `Bearer ${who.token}` });

function upload(ctx: TestContext, who: TestUser, ticketRef: string, file: File | null, fields: Record<string, string> = {}) {
  const parts: FormPart[] = Object.entries(fields).map(([name, value]) => ({ name, value }));
  if (file) parts.push({ name: "file", ...file });
  const { payload, contentType } = multipartBody(parts);
  return ctx.app.inject({ method: "POST", url: `/api/v1/tickets/${ticketRef}/attachments`, payload, headers: { ...auth(who), "content-type": contentType } });
}

const download = (ctx: TestContext, who: TestUser, ticketRef: string, attachmentId: string) =>
  ctx.app.inject({ method: "GET", url: `/api/v1/tickets/${ticketRef}/attachments/${attachmentId}`, headers: auth(who) });

/** Files under DATA_DIR/attachments, as paths relative to it. */
async function filesOnDisk(ctx: TestContext): Promise<{ stored: string[]; tmp: string[] }> {
  const root = join(ctx.config.DATA_DIR, "attachments");
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  const paths = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(root.length + 1));
  return { stored: paths.filter((p) => !p.startsWith("tmp")), tmp: paths.filter((p) => p.startsWith("tmp")) };
}

const attachmentCount = async (ctx: TestContext) => (await ctx.db.select({ n: count() }).from(attachments))[0]!.n;

/** A refused upload: the status and code, and no row, no stored file and no temporary file left behind. */
async function expectUploadRefused(ctx: TestContext, status: number, code: string, send: () => Promise<LightMyRequestResponse>) {
  const rowsBefore = await attachmentCount(ctx);
  const diskBefore = await filesOnDisk(ctx);
  const res = await send();
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
  expect(json(res).code).toBe(code);
  expect(await attachmentCount(ctx)).toBe(rowsBefore);
  const diskAfter = await filesOnDisk(ctx);
  expect(diskAfter.stored).toEqual(diskBefore.stored);
  expect(diskAfter.tmp).toEqual([]);
  return json(res);
}

let ctx: TestContext;
let agent: TestUser;
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  ctx = await createTestContext();
  agent = await buildAgent(ctx);
  alice = await buildCustomer(ctx);
  bob = await buildCustomer(ctx);
});
afterAll(() => ctx.close());

describe("uploads and downloads", () => {
  const kinds = [
    { filename: "screenshot.png", data: tinyPng(), contentType: "image/png" },
    { filename: "invoice.pdf", data: minimalPdf(), contentType: "application/pdf" },
    { filename: "sync.log", data: logFile(), contentType: "text/plain" },
  ];

  for (const kind of kinds) {
    it(`stores a ${kind.contentType} file with its hash and size, and serves the exact bytes back`, async () => {
      const t = await buildTicket(ctx, alice);
      // The client's claimed type is ignored: the bytes decide.
      const res = await upload(ctx, alice, t.number, { filename: kind.filename, data: kind.data, contentType: "application/octet-stream" });
      expect(res.statusCode, res.body).toBe(201);
      const body = json<AttachmentJson>(res);
      expect(body).toMatchObject({
        ticketId: t.id,
        messageId: null,
        filename: kind.filename,
        contentType: kind.contentType,
        sizeBytes: kind.data.length,
        sha256: sha256(kind.data),
        internal: false,
      });

      const hash = body.sha256;
      expect(await readFile(join(ctx.config.DATA_DIR, "attachments", hash.slice(0, 2), hash.slice(2)))).toEqual(kind.data);
      const [event] = await ctx.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, t.id)).orderBy(ticketEvents.id).then((rows) => rows.slice(-1));
      expect(event).toMatchObject({ type: "attachment.added", actorId: alice.id, toValue: { id: body.id, filename: kind.filename, sizeBytes: kind.data.length, internal: false } });

      for (const who of [alice, agent]) {
        const got = await download(ctx, who, t.id, body.id);
        expect(got.statusCode).toBe(200);
        expect(got.rawPayload.equals(kind.data)).toBe(true);
        expect(got.headers["content-type"]).toBe(kind.contentType);
        expect(Number(got.headers["content-length"])).toBe(kind.data.length);
        expect(got.headers["content-disposition"]).toBe(`attachment; filename="${kind.filename}"; filename*=UTF-8''${kind.filename}`);
      }
    });
  }

  it("keeps a non-ASCII filename exact with filename*= and offers an ASCII fallback", async () => {
    const t = await buildTicket(ctx, alice);
    const cases = [
      // Raw UTF-8 in filename="…", as browsers send it.
      { sent: { filename: "Überweisung März.pdf" }, name: "Überweisung März.pdf", fallback: "_berweisung M_rz.pdf" },
      // RFC 5987 filename*=, which can also carry a quote; the fallback must not break out of its quotes.
      { sent: { filename: "", rawFilenameHeader: `filename*=UTF-8''${encodeURIComponent('Отчёт "итог" 😀.pdf')}` }, name: 'Отчёт "итог" 😀.pdf', fallback: "_____ ______ __.pdf" },
    ];
    for (const c of cases) {
      const res = await upload(ctx, alice, t.id, { ...c.sent, data: minimalPdf() });
      expect(res.statusCode, res.body).toBe(201);
      const body = json<AttachmentJson>(res);
      expect(body.filename).toBe(c.name);
      const got = await download(ctx, alice, t.id, body.id);
      expect(got.headers["content-disposition"]).toBe(`attachment; filename="${c.fallback}"; filename*=UTF-8''${encodeURIComponent(c.name)}`);
    }
    const got = await download(ctx, alice, t.id, json<AttachmentJson>(await upload(ctx, alice, t.id, { filename: "März.pdf", data: minimalPdf() })).id);
    expect(got.headers["content-disposition"]).toContain("filename*=UTF-8''M%C3%A4rz.pdf");
  });

  it("stores identical content once on disk, under its content address", async () => {
    const data = tinyPng([0x12, 0x34, 0x56]);
    const first = await buildTicket(ctx, alice);
    const second = await buildTicket(ctx, bob);
    const a = json<AttachmentJson>(await upload(ctx, alice, first.id, { filename: "a.png", data }));
    const b = json<AttachmentJson>(await upload(ctx, bob, second.id, { filename: "b.png", data }));
    expect(a.id).not.toBe(b.id);
    expect(a.sha256).toBe(b.sha256);
    const { stored, tmp } = await filesOnDisk(ctx);
    expect(stored.filter((p) => p === join(a.sha256.slice(0, 2), a.sha256.slice(2)))).toHaveLength(1);
    expect(stored.every((p) => /^[0-9a-f]{2}\/[0-9a-f]{62}$/.test(p))).toBe(true);
    expect(tmp).toEqual([]);
    expect((await download(ctx, alice, first.id, a.id)).rawPayload.equals(data)).toBe(true);
    expect((await download(ctx, bob, second.id, b.id)).rawPayload.equals(data)).toBe(true);
    // Each file stays with its own ticket.
    expect((await download(ctx, alice, first.id, b.id)).statusCode).toBe(404);
    expect((await download(ctx, alice, second.id, b.id)).statusCode).toBe(404);
  });
});

describe("refused uploads", () => {
  it("refuses an empty file with 422", async () => {
    const t = await buildTicket(ctx, alice);
    const problem = await expectUploadRefused(ctx, 422, "UNPROCESSABLE", () => upload(ctx, alice, t.id, { filename: "empty.log", data: Buffer.alloc(0) }));
    expect(problem.field).toBe("file");
  });

  it("refuses executables by their bytes, whatever the name says, with 415", async () => {
    const t = await buildTicket(ctx, alice);
    const files: File[] = [
      { filename: "setup.exe", data: windowsExe() },
      { filename: "program", data: elfBinary() },
      { filename: "cat.png", data: elfBinary(), contentType: "image/png" },
      { filename: "output.log", data: elfBinary(), contentType: "text/plain" },
      // Unsniffable bytes with a text name must really be text.
      { filename: "notes.txt", data: Buffer.from([0x68, 0x69, 0x00, 0x01, 0xff, 0xfe, 0x00, 0x00]) },
      { filename: "script.sh", data: Buffer.from("#!/bin/sh\nrm -rf /\n") },
    ];
    for (const file of files) {
      await expectUploadRefused(ctx, 415, "UNSUPPORTED_MEDIA_TYPE", () => upload(ctx, agent, t.id, file));
    }
  });

  it("refuses a body that is not multipart with 415", async () => {
    const t = await buildTicket(ctx, alice);
    await expectUploadRefused(ctx, 415, "UNSUPPORTED_MEDIA_TYPE", () => call(ctx, alice, "POST", `/api/v1/tickets/${t.id}/attachments`, { file: "aGVsbG8=" }));
    await expectUploadRefused(ctx, 415, "UNSUPPORTED_MEDIA_TYPE", () =>
      ctx.app.inject({ method: "POST", url: `/api/v1/tickets/${t.id}/attachments`, payload: tinyPng(), headers: { ...auth(alice), "content-type": "image/png" } }),
    );
  });

  it("refuses a form without a file field with 400", async () => {
    const t = await buildTicket(ctx, alice);
    await expectUploadRefused(ctx, 400, "VALIDATION_FAILED", () => upload(ctx, alice, t.id, null, { note: "forgot the file" }));
  });

  it("refuses a second file in one request and keeps neither", async () => {
    const t = await buildTicket(ctx, alice);
    const { payload, contentType } = multipartBody([
      { name: "file", filename: "one.png", data: tinyPng([1, 1, 1]) },
      { name: "file", filename: "two.png", data: tinyPng([2, 2, 2]) },
    ]);
    await expectUploadRefused(ctx, 413, "PAYLOAD_TOO_LARGE", () =>
      ctx.app.inject({ method: "POST", url: `/api/v1/tickets/${t.id}/attachments`, payload, headers: { ...auth(alice), "content-type": contentType } }),
    );
  });

  it("answers 404 to a customer uploading to someone else's ticket", async () => {
    const bobs = await buildTicket(ctx, bob);
    await expectUploadRefused(ctx, 404, "NOT_FOUND", () => upload(ctx, alice, bobs.id, { filename: "x.png", data: tinyPng() }));
    await expectUploadRefused(ctx, 404, "NOT_FOUND", () => upload(ctx, alice, randomUUID(), { filename: "x.png", data: tinyPng() }));
  });

  it("forbids a customer to upload an internal file", async () => {
    const t = await buildTicket(ctx, alice);
    const problem = await expectUploadRefused(ctx, 403, "FORBIDDEN", () => upload(ctx, alice, t.id, { filename: "x.png", data: tinyPng() }, { internal: "true" }));
    expect(problem.field).toBe("internal");
  });
});

describe("the size limit", () => {
  let small: TestContext;
  let customer: TestUser;
  beforeAll(async () => {
    small = await createTestContext({ ATTACHMENT_MAX_BYTES: "1024" });
    customer = await buildCustomer(small);
  });
  afterAll(() => small.close());

  const text = (bytes: number) => Buffer.from("a".repeat(bytes - 1) + "\n");

  it("refuses a file over ATTACHMENT_MAX_BYTES with 413 and leaves nothing behind", async () => {
    const t = await buildTicket(small, customer);
    for (const size of [1025, 256 * 1024]) {
      await expectUploadRefused(small, 413, "PAYLOAD_TOO_LARGE", () => upload(small, customer, t.id, { filename: "big.log", data: text(size) }));
    }
  });

  it("accepts a file of exactly ATTACHMENT_MAX_BYTES", async () => {
    const t = await buildTicket(small, customer);
    const res = await upload(small, customer, t.id, { filename: "edge.log", data: text(1024) });
    expect(res.statusCode, res.body).toBe(201);
    expect(json(res).sizeBytes).toBe(1024);
  });
});

describe("internal files", () => {
  it("keeps an agent's internal file away from the customer", async () => {
    const t = await buildTicket(ctx, alice);
    const secretName = "internal-fraud-report-5c1e.pdf";
    const up = await upload(ctx, agent, t.id, { filename: secretName, data: minimalPdf() }, { internal: "true" });
    expect(up.statusCode, up.body).toBe(201);
    const file = json<AttachmentJson>(up);
    expect(file.internal).toBe(true);
    // Not yet on a message: still hidden from the customer.
    expect((await download(ctx, alice, t.id, file.id)).statusCode).toBe(404);

    const note = await call(ctx, agent, "POST", `/api/v1/tickets/${t.id}/messages`, { body: "See the attached report.", internal: true, attachmentIds: [file.id] });
    expect(note.statusCode, note.body).toBe(201);
    expect(json<MessageJson>(note).attachments.map((a) => a.id)).toEqual([file.id]);

    const staffView = await call(ctx, agent, "GET", `/api/v1/tickets/${t.id}`);
    expect(staffView.body).toContain(file.id);
    for (const url of [`/api/v1/tickets/${t.id}`, `/api/v1/tickets/${t.id}/messages`, `/api/v1/tickets/${t.id}/events`]) {
      const res = await call(ctx, alice, "GET", url);
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain(file.id);
      expect(res.body).not.toContain(secretName);
    }
    const denied = await download(ctx, alice, t.id, file.id);
    expect(denied.statusCode).toBe(404);
    expect(json(denied).code).toBe("NOT_FOUND");
    expect((await download(ctx, agent, t.id, file.id)).statusCode).toBe(200);
  });

  it("honours internal=true sent after the file part", async () => {
    const t = await buildTicket(ctx, alice);
    const { payload, contentType } = multipartBody([
      { name: "file", filename: "late-flag.pdf", data: minimalPdf() },
      { name: "internal", value: "true" },
    ]);
    const res = await ctx.app.inject({ method: "POST", url: `/api/v1/tickets/${t.id}/attachments`, payload, headers: { ...auth(agent), "content-type": contentType } });
    expect(res.statusCode, res.body).toBe(201);
    const file = json<AttachmentJson>(res);
    expect(file.internal).toBe(true);
    expect((await download(ctx, alice, t.id, file.id)).statusCode).toBe(404);
  });
});

describe("attaching uploads to a reply", () => {
  const messageCount = async () => (await ctx.db.select({ n: count() }).from(messages))[0]!.n;

  it("attaches the ticket's own uploads to a reply", async () => {
    const t = await buildTicket(ctx, alice);
    const log = json<AttachmentJson>(await upload(ctx, alice, t.id, { filename: "client.log", data: logFile(3) }));
    const shot = json<AttachmentJson>(await upload(ctx, alice, t.id, { filename: "error.png", data: tinyPng([9, 9, 9]) }));
    const res = await call(ctx, alice, "POST", `/api/v1/tickets/${t.id}/messages`, { body: "Log and screenshot attached.", attachmentIds: [log.id, shot.id] });
    expect(res.statusCode, res.body).toBe(201);
    const message = json<MessageJson>(res);
    expect(message.attachments.map((a) => a.id).sort()).toEqual([log.id, shot.id].sort());
    expect(message.attachments.every((a) => a.messageId === message.id)).toBe(true);

    const detail = json<{ messages: MessageJson[] }>(await call(ctx, agent, "GET", `/api/v1/tickets/${t.id}`));
    expect(detail.messages.find((m) => m.id === message.id)?.attachments.map((a) => a.filename).sort()).toEqual(["client.log", "error.png"]);
    const [event] = (await ctx.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, t.id)).orderBy(ticketEvents.id)).filter((e) => e.type === "reply.added");
    expect(event?.toValue).toMatchObject({ messageId: message.id, attachments: 2 });
  });

  it("refuses attachmentIds from another ticket, already used, or unknown with 422 and writes no message", async () => {
    const mine = await buildTicket(ctx, alice);
    const other = await buildTicket(ctx, alice);
    const foreign = json<AttachmentJson>(await upload(ctx, alice, other.id, { filename: "other.log", data: logFile(2) }));
    const used = json<AttachmentJson>(await upload(ctx, alice, mine.id, { filename: "used.log", data: logFile(4) }));
    expect((await call(ctx, alice, "POST", `/api/v1/tickets/${mine.id}/messages`, { body: "first", attachmentIds: [used.id] })).statusCode).toBe(201);
    const fresh = json<AttachmentJson>(await upload(ctx, alice, mine.id, { filename: "fresh.log", data: logFile(5) }));

    for (const ids of [[foreign.id], [fresh.id, foreign.id], [used.id], [randomUUID()]]) {
      const before = await messageCount();
      const res = await call(ctx, alice, "POST", `/api/v1/tickets/${mine.id}/messages`, { body: "with files", attachmentIds: ids });
      expect(res.statusCode, JSON.stringify(ids)).toBe(422);
      expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(json(res)).toMatchObject({ code: "UNPROCESSABLE", field: "attachmentIds" });
      expect(await messageCount()).toBe(before);
    }
    const rows = await ctx.db.select().from(attachments).where(eq(attachments.ticketId, other.id));
    expect(rows.map((r) => r.messageId)).toEqual([null]);
    const [freshRow] = await ctx.db.select().from(attachments).where(eq(attachments.id, fresh.id));
    expect(freshRow!.messageId).toBeNull();
  });

  it("does not let a customer publish an agent's internal upload by claiming it", async () => {
    const t = await buildTicket(ctx, alice);
    const secret = json<AttachmentJson>(await upload(ctx, agent, t.id, { filename: "internal.pdf", data: minimalPdf() }, { internal: "true" }));
    const res = await call(ctx, alice, "POST", `/api/v1/tickets/${t.id}/messages`, { body: "claiming a file id I should not know", attachmentIds: [secret.id] });
    expect(res.statusCode).toBe(422);
    const [row] = await ctx.db.select().from(attachments).where(eq(attachments.id, secret.id));
    expect(row).toMatchObject({ isInternal: true, messageId: null });
    expect((await download(ctx, alice, t.id, secret.id)).statusCode).toBe(404);
  });
});
