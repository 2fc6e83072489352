import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { call, createTestContext, json, type TestContext } from "../helpers/testApp.js";
import { buildAdmin, buildAgent, buildCustomer, type TestUser } from "../helpers/factories.js";

let ctx: TestContext;
let ann: TestUser;
let bob: TestUser;
let admin: TestUser;
let customer: TestUser;

type View = { id: string; name: string; filters: Record<string, string>; shared: boolean; ownerId: string; ownerName: string; mine: boolean };

const urgentMine = { status: "open,in_progress", priority: "urgent", assignee: "me", sort: "sla_due" };

async function create(as: TestUser, body: unknown): Promise<View> {
  const res = await call(ctx, as, "POST", "/api/v1/views", body);
  expect(res.statusCode, res.body).toBe(201);
  return json<View>(res);
}
const names = async (as: TestUser) => json<{ items: View[] }>(await call(ctx, as, "GET", "/api/v1/views")).items.map((v) => v.name);

beforeAll(async () => {
  ctx = await createTestContext();
  ann = await buildAgent(ctx, { name: "Ann Agent" });
  bob = await buildAgent(ctx, { name: "Bob Agent" });
  admin = await buildAdmin(ctx, { name: "Ada Admin" });
  customer = await buildCustomer(ctx);
});
afterAll(() => ctx.close());

describe("saved views", () => {
  it("creates a private view, trimmed, that only its owner lists", async () => {
    const view = await create(ann, { name: "  My urgent  ", filters: urgentMine });
    expect(view).toEqual({ id: expect.any(String) as unknown, name: "My urgent", filters: urgentMine, shared: false, ownerId: ann.id, ownerName: "Ann Agent", mine: true });
    expect(await names(ann)).toContain("My urgent");
    expect(await names(bob)).not.toContain("My urgent");
  });

  it("lists my views and the shared views of others, by name, marking which are mine", async () => {
    await create(bob, { name: "billing backlog", filters: { category: "billing" }, shared: true });
    await create(bob, { name: "Bob's secret", filters: { tag: "vip" } });
    await create(ann, { name: "Aardvark", filters: {} });
    const items = json<{ items: View[] }>(await call(ctx, ann, "GET", "/api/v1/views")).items;
    expect(items.map((v) => [v.name, v.mine, v.ownerName])).toEqual([
      ["Aardvark", true, "Ann Agent"],
      ["billing backlog", false, "Bob Agent"],
      ["My urgent", true, "Ann Agent"],
    ]);
    expect(await names(bob)).toEqual(["billing backlog", "Bob's secret"]);
  });

  it("refuses the same name twice for one owner with 409, but not for another owner", async () => {
    const again = await call(ctx, ann, "POST", "/api/v1/views", { name: "My urgent", filters: {} });
    expect(again.statusCode).toBe(409);
    expect(again.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(json(again)).toMatchObject({ code: "CONFLICT", field: "name" });
    await create(bob, { name: "My urgent", filters: { priority: "urgent" } });
  });

  it("lets the owner rename, refilter and share a view", async () => {
    const view = await create(ann, { name: "Draft", filters: { priority: "high" } });
    const res = await call(ctx, ann, "PATCH", `/api/v1/views/${view.id}`, { name: "Team high", filters: { priority: "high,urgent", period: "7d" }, shared: true });
    expect(res.statusCode, res.body).toBe(200);
    expect(json<View>(res)).toMatchObject({ id: view.id, name: "Team high", filters: { priority: "high,urgent", period: "7d" }, shared: true, mine: true });
    expect(await names(bob)).toContain("Team high");
    const renameClash = await call(ctx, ann, "PATCH", `/api/v1/views/${view.id}`, { name: "My urgent" });
    expect(renameClash.statusCode).toBe(409);
    const unshare = await call(ctx, ann, "PATCH", `/api/v1/views/${view.id}`, { shared: false });
    expect(json<View>(unshare)).toMatchObject({ name: "Team high", shared: false });
    expect(await names(bob)).not.toContain("Team high");
  });

  it("answers 404 for someone else's private view and 403 for a view shared by someone else", async () => {
    const secret = await create(bob, { name: "Private to Bob", filters: {} });
    const shared = await create(bob, { name: "Shared by Bob", filters: {}, shared: true });
    for (const [method, body] of [["PATCH", { name: "Mine now" }], ["DELETE", undefined]] as const) {
      const hidden = await call(ctx, ann, method, `/api/v1/views/${secret.id}`, body);
      expect(hidden.statusCode, method).toBe(404);
      expect(json(hidden).code).toBe("NOT_FOUND");
      const foreign = await call(ctx, ann, method, `/api/v1/views/${shared.id}`, body);
      expect(foreign.statusCode, method).toBe(403);
      expect(json(foreign).code).toBe("FORBIDDEN");
    }
    expect((await call(ctx, ann, "PATCH", `/api/v1/views/${randomUUID()}`, { name: "x" })).statusCode).toBe(404);
    // Nothing changed.
    expect(await names(bob)).toEqual(expect.arrayContaining(["Private to Bob", "Shared by Bob"]));
  });

  it("lets the owner delete, and an admin delete a shared view but not a private one", async () => {
    const mine = await create(ann, { name: "Short-lived", filters: {} });
    expect((await call(ctx, ann, "DELETE", `/api/v1/views/${mine.id}`)).statusCode).toBe(204);
    expect(await names(ann)).not.toContain("Short-lived");
    expect((await call(ctx, ann, "DELETE", `/api/v1/views/${mine.id}`)).statusCode).toBe(404);

    const shared = await create(bob, { name: "Stale shared view", filters: {}, shared: true });
    const secret = await create(bob, { name: "Bob only", filters: {} });
    expect((await call(ctx, admin, "PATCH", `/api/v1/views/${shared.id}`, { name: "Renamed by admin" })).statusCode).toBe(403);
    expect((await call(ctx, admin, "DELETE", `/api/v1/views/${secret.id}`)).statusCode).toBe(404);
    expect((await call(ctx, admin, "DELETE", `/api/v1/views/${shared.id}`)).statusCode).toBe(204);
    expect(await names(bob)).not.toContain("Stale shared view");
    expect(await names(bob)).toContain("Bob only");
  });

  it("validates names and filters with 400 problems naming the field", async () => {
    const bad: [unknown, string][] = [
      [{ name: "   ", filters: {} }, "body.name"],
      [{ name: "x".repeat(81), filters: {} }, "body.name"],
      [{ name: "No filters" }, "body.filters"],
      [{ name: "Unknown key", filters: { cursor: "abc" } }, "body.filters.cursor"],
      [{ name: "Bad value", filters: { status: "sleeping" } }, "body.filters.status"],
      [{ name: "Bad sort", filters: { sort: "subject" } }, "body.filters.sort"],
      [{ name: "Too long", filters: { q: "x".repeat(501) } }, "body.filters.q"],
      [{ name: "Not a string", filters: { priority: ["high"] } }, "body.filters.priority"],
      [{ name: "Extra", filters: {}, owner: "someone" }, "body"],
    ];
    for (const [body, field] of bad) {
      const res = await call(ctx, ann, "POST", "/api/v1/views", body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
      const problem = json<{ code: string; errors: { field: string }[] }>(res);
      expect(problem.code).toBe("VALIDATION_FAILED");
      expect(problem.errors.map((e) => e.field)).toContain(field);
    }
    const view = await create(ann, { name: "Valid", filters: { q: "vpn" } });
    expect((await call(ctx, ann, "PATCH", `/api/v1/views/${view.id}`, {})).statusCode).toBe(400);
    expect((await call(ctx, ann, "PATCH", "/api/v1/views/not-a-uuid", { name: "x" })).statusCode).toBe(400);
    expect(await names(ann)).not.toContain("Bad value");
  });

  it("is for staff only", async () => {
    for (const [method, url] of [["GET", "/api/v1/views"], ["POST", "/api/v1/views"], ["PATCH", `/api/v1/views/${randomUUID()}`], ["DELETE", `/api/v1/views/${randomUUID()}`]] as const) {
      const res = await call(ctx, customer, method, url, method === "GET" || method === "DELETE" ? undefined : { name: "Mine", filters: {} });
      expect(res.statusCode, `${method} ${url}`).toBe(403);
    }
    expect((await call(ctx, null, "GET", "/api/v1/views")).statusCode).toBe(401);
  });
});
