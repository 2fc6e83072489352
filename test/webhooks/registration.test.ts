import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSigningSecret } from "../../src/connectors/webhooks/signingSecret.js";
import { webhookSettingsFrom } from "../../src/connectors/webhooks/webhookSettings.js";
import { webhooks } from "../../src/db/schema/index.js";
import { buildAdmin, buildAgent, buildCustomer, type TestUser } from "../helpers/factories.js";
import { call, createTestContext, json, type TestContext } from "../helpers/testApp.js";

type Webhook = { id: string; url: string; events: string[]; active: boolean; secret?: string; description: string; createdBy: { id: string } | null };

describe("webhook registration", () => {
  let ctx: TestContext;
  let admin: TestUser;

  beforeAll(async () => {
    ctx = await createTestContext();
    admin = await buildAdmin(ctx);
  });
  afterAll(() => ctx.close());

  const register = (body: unknown, who: TestUser = admin) => call(ctx, who, "POST", "/api/v1/webhooks", body);
  const expect422 = async (body: unknown, field: string) => {
    const res = await register(body);
    expect(res.statusCode, res.body).toBe(422);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(json(res)).toMatchObject({ code: "UNPROCESSABLE", status: 422 });
    expect(String(json(res).field)).toContain(field);
  };

  it("refuses malformed, non-http(s), credential-carrying and private URLs with 422", async () => {
    for (const url of ["not a url", "ftp://example.com/hook", "file:///etc/passwd", "javascript:alert(1)", "http://user:pw@example.com/hook"]) {
      await expect422({ url, events: ["ticket.created"] }, "url");
    }
    for (const url of [
      "http://127.0.0.1:9/hook",
      "http://localhost:9/hook",
      "http://[::1]:9/hook",
      "http://10.1.2.3/hook",
      "http://192.168.0.10/hook",
      "http://172.16.5.4/hook",
      "http://169.254.169.254/latest/meta-data",
      "http://[fe80::1]/hook",
      "http://[::ffff:127.0.0.1]/hook",
      "http://0.0.0.0/hook",
    ]) {
      await expect422({ url, events: ["ticket.created"] }, "url");
    }
    expect(await ctx.db.select().from(webhooks)).toHaveLength(0);
  });

  it("refuses unknown, missing or empty event lists with 422", async () => {
    await expect422({ url: "http://127.0.0.1:9/hook", events: ["ticket.exploded"] }, "events");
    await expect422({ url: "http://127.0.0.1:9/hook", events: ["ping"] }, "events");
    await expect422({ url: "http://127.0.0.1:9/hook", events: [] }, "events");
    await expect422({ url: "http://127.0.0.1:9/hook" }, "events");
  });

  it("is for admins only: 403 for agents and customers, 401 for strangers", async () => {
    const agent = await buildAgent(ctx);
    const customer = await buildCustomer(ctx);
    for (const who of [agent, customer]) {
      const res = await register({ url: "http://127.0.0.1:9/hook", events: ["ticket.created"] }, who);
      expect(res.statusCode).toBe(403);
      expect(json(res).code).toBe("FORBIDDEN");
      expect((await call(ctx, who, "GET", "/api/v1/webhooks")).statusCode).toBe(403);
    }
    expect((await call(ctx, null, "GET", "/api/v1/webhooks")).statusCode).toBe(401);
  });
});

describe("webhook registration with ALLOW_PRIVATE_WEBHOOK_TARGETS=true", () => {
  let ctx: TestContext;
  let admin: TestUser;

  beforeAll(async () => {
    ctx = await createTestContext({ ALLOW_PRIVATE_WEBHOOK_TARGETS: "true" });
    admin = await buildAdmin(ctx);
  });
  afterAll(() => ctx.close());

  it("accepts a loopback URL, shows the secret once, and stores it only sealed", async () => {
    const res = await call(ctx, admin, "POST", "/api/v1/webhooks", { url: "http://127.0.0.1:9/hook", events: ["ticket.created", "ticket.created", "message.created"], description: "CRM sync" });
    expect(res.statusCode, res.body).toBe(201);
    const created = json<Webhook>(res);
    expect(created).toMatchObject({ url: "http://127.0.0.1:9/hook", events: ["ticket.created", "message.created"], active: true, description: "CRM sync", createdBy: { id: admin.id } });
    expect(created.secret).toMatch(/^whsec_[\w-]{43}$/);

    // Never again: not in the item, not in the list.
    const shown = await call(ctx, admin, "GET", `/api/v1/webhooks/${created.id}`);
    expect(shown.statusCode).toBe(200);
    expect(json(shown).secret).toBeUndefined();
    expect(shown.body).not.toContain(created.secret);
    const list = await call(ctx, admin, "GET", "/api/v1/webhooks");
    expect(list.body).not.toContain(created.secret);
    expect(json<{ items: Webhook[] }>(list).items.map((w) => w.id)).toContain(created.id);

    // The row holds no plaintext secret in any column; the sealed value opens only with this install's key and this row's id.
    const [row] = await ctx.db.execute(sql`select * from webhooks where id = ${created.id}`).then((r) => (r as unknown as { rows: Record<string, unknown>[] }).rows);
    expect(JSON.stringify(row)).not.toContain(created.secret!);
    expect(JSON.stringify(row)).not.toContain(created.secret!.slice(6));
    const [stored] = await ctx.db.select().from(webhooks).where(eq(webhooks.id, created.id));
    expect(stored!.secretSealed).toMatch(/^v1\./);
    const key = webhookSettingsFrom(ctx.config).secretKey;
    expect(openSigningSecret(key, created.id, stored!.secretSealed)).toBe(created.secret);
    expect(() => openSigningSecret(key, admin.id, stored!.secretSealed)).toThrow();
  });

  it("rotates the secret: a new one, shown once, the old one gone", async () => {
    const created = json<Webhook>(await call(ctx, admin, "POST", "/api/v1/webhooks", { url: "http://127.0.0.1:9/rotate", events: ["ticket.updated"] }));
    const rotated = await call(ctx, admin, "POST", `/api/v1/webhooks/${created.id}/rotate-secret`);
    expect(rotated.statusCode).toBe(200);
    const secret = json<Webhook>(rotated).secret!;
    expect(secret).toMatch(/^whsec_/);
    expect(secret).not.toBe(created.secret);
    const [stored] = await ctx.db.select().from(webhooks).where(eq(webhooks.id, created.id));
    expect(openSigningSecret(webhookSettingsFrom(ctx.config).secretKey, created.id, stored!.secretSealed)).toBe(secret);
    expect((await call(ctx, admin, "POST", `/api/v1/webhooks/${randomUUID()}/rotate-secret`)).statusCode).toBe(404);
  });

  it("changes url, events, description and active; refuses bad changes; deletes", async () => {
    const created = json<Webhook>(await call(ctx, admin, "POST", "/api/v1/webhooks", { url: "http://127.0.0.1:9/a", events: ["ticket.created"] }));
    const patched = await call(ctx, admin, "PATCH", `/api/v1/webhooks/${created.id}`, { url: "http://127.0.0.1:9/b", events: ["sla.breached", "sla.warning"], description: "Pager" });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(json(patched)).toMatchObject({ url: "http://127.0.0.1:9/b", events: ["sla.breached", "sla.warning"], description: "Pager", active: true });

    const off = json(await call(ctx, admin, "PATCH", `/api/v1/webhooks/${created.id}`, { active: false }));
    expect(off).toMatchObject({ active: false, disabledReason: `disabled by ${admin.name}` });
    expect(off.disabledAt).toEqual(expect.any(String));
    const on = json(await call(ctx, admin, "PATCH", `/api/v1/webhooks/${created.id}`, { active: true }));
    expect(on).toMatchObject({ active: true, disabledReason: null, disabledAt: null, consecutiveFailures: 0, failingSince: null });

    expect((await call(ctx, admin, "PATCH", `/api/v1/webhooks/${created.id}`, { events: ["nope"] })).statusCode).toBe(422);
    expect((await call(ctx, admin, "PATCH", `/api/v1/webhooks/${created.id}`, { url: "gopher://127.0.0.1/" })).statusCode).toBe(422);
    expect((await call(ctx, admin, "PATCH", `/api/v1/webhooks/${randomUUID()}`, { active: true })).statusCode).toBe(404);

    expect((await call(ctx, admin, "DELETE", `/api/v1/webhooks/${created.id}`)).statusCode).toBe(204);
    expect((await call(ctx, admin, "GET", `/api/v1/webhooks/${created.id}`)).statusCode).toBe(404);
    expect((await call(ctx, admin, "DELETE", `/api/v1/webhooks/${created.id}`)).statusCode).toBe(404);
  });

  it("pages the list newest first with a cursor, and refuses a malformed cursor", async () => {
    for (let i = 0; i < 3; i++) await call(ctx, admin, "POST", "/api/v1/webhooks", { url: `http://127.0.0.1:9/page${i}`, events: ["ticket.created"] });
    const all = json<{ items: Webhook[] }>(await call(ctx, admin, "GET", "/api/v1/webhooks?limit=200")).items;
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await call(ctx, admin, "GET", `/api/v1/webhooks?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      const body = json<{ items: Webhook[]; nextCursor: string | null }>(res);
      seen.push(...body.items.map((w) => w.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.map((w) => w.id));
    expect(all.findIndex((w) => w.url.endsWith("/page2"))).toBeLessThan(all.findIndex((w) => w.url.endsWith("/page0")));
    expect((await call(ctx, admin, "GET", "/api/v1/webhooks?cursor=abc")).statusCode).toBe(400);
  });

  it("answers 503 to a test ping when this process runs no queue", async () => {
    const created = json<Webhook>(await call(ctx, admin, "POST", "/api/v1/webhooks", { url: "http://127.0.0.1:9/ping", events: ["ticket.created"] }));
    const res = await call(ctx, admin, "POST", `/api/v1/webhooks/${created.id}/test`);
    expect(res.statusCode).toBe(503);
    expect(json(res).code).toBe("UNAVAILABLE");
  });
});
