import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { authTokens } from "../../src/db/schema/index.js";
import { call, createTestContext, json, type TestContext } from "../helpers/testApp.js";
import { buildAdmin, buildAgent, buildCustomer, type TestUser } from "../helpers/factories.js";

let ctx: TestContext;
let admin: TestUser;
let agent: TestUser;

beforeAll(async () => {
  ctx = await createTestContext();
  admin = await buildAdmin(ctx);
  agent = await buildAgent(ctx);
});
afterAll(() => ctx.close());

describe("users", () => {
  it("creates a person with a password who can then sign in", async () => {
    const res = await call(ctx, admin, "POST", "/api/v1/users", { email: "New.Agent@Example.test", name: "New Agent", role: "agent", password: "correct horse battery" });
    expect(res.statusCode).toBe(201);
    expect(json(res)).toMatchObject({ email: "new.agent@example.test", role: "agent", hasPassword: true, inviteUrl: null });
    expect(res.body).not.toContain("argon2");
    const login = await call(ctx, null, "POST", "/api/v1/auth/login", { email: "new.agent@example.test", password: "correct horse battery" });
    expect(login.statusCode).toBe(200);
    const me = await call(ctx, { token: json<{ token: string }>(login).token }, "GET", "/api/v1/auth/me");
    expect(json(me).email).toBe("new.agent@example.test");
  });

  it("invites a person without a password and refuses a duplicate email", async () => {
    const res = await call(ctx, admin, "POST", "/api/v1/users", { email: "invitee@example.test", name: "Invitee", role: "customer" });
    expect(json<{ inviteUrl: string }>(res).inviteUrl).toMatch(/\/invite#token=sbi_/);
    const dup = await call(ctx, admin, "POST", "/api/v1/users", { email: "INVITEE@example.test", name: "Again", role: "agent" });
    expect(json(dup)).toMatchObject({ status: 409, code: "EMAIL_TAKEN" });
  });

  it("rejects a short password and an unknown role", async () => {
    expect((await call(ctx, admin, "POST", "/api/v1/users", { email: "p@example.test", name: "P", role: "agent", password: "short" })).statusCode).toBe(400);
    expect((await call(ctx, admin, "POST", "/api/v1/users", { email: "p@example.test", name: "P", role: "root" })).statusCode).toBe(400);
  });

  it("deactivating a person revokes their sessions at once", async () => {
    const victim = await buildAgent(ctx);
    expect((await call(ctx, victim, "GET", "/api/v1/tickets")).statusCode).toBe(200);
    const res = await call(ctx, admin, "PATCH", `/api/v1/users/${victim.id}`, { isActive: false });
    expect(json(res).isActive).toBe(false);
    expect((await call(ctx, victim, "GET", "/api/v1/tickets")).statusCode).toBe(401);
  });

  it("stops an admin from locking themselves out", async () => {
    const res = await call(ctx, admin, "PATCH", `/api/v1/users/${admin.id}`, { role: "agent" });
    expect(res.statusCode).toBe(409);
  });

  it("lets agents list people (to assign) but not create them", async () => {
    expect((await call(ctx, agent, "GET", "/api/v1/users?role=agent")).statusCode).toBe(200);
    expect((await call(ctx, agent, "POST", "/api/v1/users", { email: "x@example.test", name: "X", role: "admin" })).statusCode).toBe(403);
  });
});

describe("API tokens", () => {
  it("shows the token once, stores only its hash, and accepts it as Bearer until revoked", async () => {
    const res = await call(ctx, admin, "POST", "/api/v1/tokens", { name: "CI integration", userId: agent.id });
    expect(res.statusCode).toBe(201);
    const { id, token } = json<{ id: string; token: string }>(res);
    expect(token).toMatch(/^sbt_/);
    const [stored] = await ctx.db.select().from(authTokens).where(eq(authTokens.id, id));
    expect(stored!.tokenHash).not.toContain(token);
    expect(JSON.stringify(stored)).not.toContain(token);
    const list = await call(ctx, admin, "GET", "/api/v1/tokens");
    expect(list.body).not.toContain(token);
    expect(json<{ items: { id: string }[] }>(list).items.map((t) => t.id)).toContain(id);

    const asToken = await call(ctx, { token }, "GET", "/api/v1/auth/me");
    expect(json(asToken).id).toBe(agent.id);
    expect((await call(ctx, admin, "DELETE", `/api/v1/tokens/${id}`)).statusCode).toBe(204);
    expect((await call(ctx, { token }, "GET", "/api/v1/auth/me")).statusCode).toBe(401);
  });
});

describe("teams and organizations", () => {
  it("creates a team with members and a lead, and rejects customers as members", async () => {
    const res = await call(ctx, admin, "POST", "/api/v1/teams", { name: "Billing", members: [{ userId: agent.id, isLead: true }] });
    expect(res.statusCode).toBe(201);
    expect(json(res)).toMatchObject({ name: "Billing", members: [{ userId: agent.id, isLead: true }] });
    const customer = await buildCustomer(ctx);
    const bad = await call(ctx, admin, "PATCH", `/api/v1/teams/${json<{ id: string }>(res).id}`, { members: [{ userId: customer.id }] });
    expect(bad.statusCode).toBe(422);
    expect((await call(ctx, admin, "POST", "/api/v1/teams", { name: "Billing" })).statusCode).toBe(409);
    expect(json<{ items: unknown[] }>(await call(ctx, agent, "GET", "/api/v1/teams")).items).toHaveLength(1);
  });

  it("creates organizations with unique slugs", async () => {
    const res = await call(ctx, admin, "POST", "/api/v1/organizations", { name: "Umbrella Corp" });
    expect(json(res)).toMatchObject({ slug: "umbrella-corp" });
    expect((await call(ctx, admin, "POST", "/api/v1/organizations", { name: "Umbrella  Corp" })).statusCode).toBe(409);
  });
});

describe("service endpoints", () => {
  it("answers health, readiness and the OpenAPI document without auth", async () => {
    expect(json(await call(ctx, null, "GET", "/healthz"))).toEqual({ status: "ok" });
    expect(json(await call(ctx, null, "GET", "/readyz")).status).toBe("ready");
    const doc = json<{ openapi: string; paths: Record<string, unknown> }>(await call(ctx, null, "GET", "/api/openapi.json"));
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/v1/tickets", "/api/v1/tickets/{id}", "/api/v1/tickets/{id}/merge", "/api/v1/tickets/bulk"]));
    const docs = await call(ctx, null, "GET", "/api/docs/");
    expect(docs.statusCode).toBe(200);
    expect(docs.headers["content-type"]).toContain("text/html");
  });
});
