import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildAgent, buildCustomer, buildTicket, type TestUser } from "../helpers/factories.js";
import { call, createTestContext, json, type TestContext } from "../helpers/testApp.js";

type Notice = { kind: string; title: string; ticketId: string | null };

describe("following tickets and Jira keys", () => {
  let ctx: TestContext;
  let agent: TestUser;
  let watcher: TestUser;
  let customer: TestUser;
  let stranger: TestUser;

  const followedNotices = async (user: TestUser, ticketId: string) =>
    json<{ items: Notice[] }>(await call(ctx, user, "GET", "/api/v1/notifications")).items.filter((n) => n.kind === "ticket.followed" && n.ticketId === ticketId);

  beforeAll(async () => {
    ctx = await createTestContext();
    agent = await buildAgent(ctx);
    watcher = await buildAgent(ctx);
    customer = await buildCustomer(ctx);
    stranger = await buildCustomer(ctx);
  });
  afterAll(() => ctx.close());

  it("alerts a customer who follows for resolution only when it is resolved, never about notes or replies", async () => {
    const t = await buildTicket(ctx, customer);
    const res = await call(ctx, customer, "PUT", `/api/v1/tickets/${t.number}/follow`, { notifyOn: "resolved" });
    expect(res.statusCode).toBe(200);
    expect(json(res)).toMatchObject({ ticketId: t.id, ticketNumber: t.number, notifyOn: "resolved", jiraKey: null });
    await call(ctx, agent, "POST", `/api/v1/tickets/${t.id}/messages`, { body: "Looking into it" });
    await call(ctx, agent, "POST", `/api/v1/tickets/${t.id}/messages`, { body: "internal only", internal: true });
    expect(await followedNotices(customer, t.id)).toHaveLength(0);
    await call(ctx, agent, "PATCH", `/api/v1/tickets/${t.id}`, { status: "resolved" });
    const notices = await followedNotices(customer, t.id);
    expect(notices.map((n) => n.title)).toEqual([`${t.number} is now resolved`]);
  });

  it("tells an agent following for updates about status changes, replies and notes, but not their own changes", async () => {
    const t = await buildTicket(ctx, customer);
    expect((await call(ctx, watcher, "PUT", `/api/v1/tickets/${t.id}/follow`, {})).statusCode).toBe(200);
    await call(ctx, agent, "PATCH", `/api/v1/tickets/${t.id}`, { status: "in_progress" });
    await call(ctx, agent, "POST", `/api/v1/tickets/${t.id}/messages`, { body: "A note for the team", internal: true });
    await call(ctx, watcher, "POST", `/api/v1/tickets/${t.id}/messages`, { body: "My own reply" });
    const titles = (await followedNotices(watcher, t.id)).map((n) => n.title).sort();
    expect(titles).toEqual([`${t.number} has a new internal note`, `${t.number} is now in progress`].sort());
  });

  it("never tells a customer follower about notes, but does about public replies", async () => {
    const t = await buildTicket(ctx, customer);
    await call(ctx, customer, "PUT", `/api/v1/tickets/${t.id}/follow`, { notifyOn: "updates" });
    await call(ctx, agent, "POST", `/api/v1/tickets/${t.id}/messages`, { body: "secret note", internal: true });
    await call(ctx, agent, "POST", `/api/v1/tickets/${t.id}/messages`, { body: "public answer" });
    const titles = (await followedNotices(customer, t.id)).map((n) => n.title);
    expect(titles).toEqual([`${t.number} has a new reply`]);
  });

  it("lets nobody follow a ticket they cannot see (404), and unfollowing twice is 404", async () => {
    const t = await buildTicket(ctx, customer);
    expect((await call(ctx, stranger, "PUT", `/api/v1/tickets/${t.id}/follow`, {})).statusCode).toBe(404);
    await call(ctx, customer, "PUT", `/api/v1/tickets/${t.id}/follow`, {});
    expect((await call(ctx, customer, "DELETE", `/api/v1/tickets/${t.id}/follow`)).statusCode).toBe(204);
    expect((await call(ctx, customer, "DELETE", `/api/v1/tickets/${t.id}/follow`)).statusCode).toBe(404);
    await call(ctx, agent, "PATCH", `/api/v1/tickets/${t.id}`, { status: "resolved" });
    expect(await followedNotices(customer, t.id)).toHaveLength(0);
  });

  it("lets staff follow a Jira issue key (validated, upper-cased, idempotent); customers may not", async () => {
    const first = await call(ctx, agent, "POST", "/api/v1/subscriptions", { jiraKey: "abc-123", notifyOn: "resolved" });
    expect(first.statusCode).toBe(201);
    expect(json(first)).toMatchObject({ jiraKey: "ABC-123", ticketId: null, notifyOn: "resolved" });
    const again = await call(ctx, agent, "POST", "/api/v1/subscriptions", { jiraKey: "ABC-123", notifyOn: "updates" });
    expect(json<{ id: string }>(again).id).toBe(json<{ id: string }>(first).id);
    expect((await call(ctx, agent, "POST", "/api/v1/subscriptions", { jiraKey: "not a key" })).statusCode).toBe(400);
    expect((await call(ctx, customer, "POST", "/api/v1/subscriptions", { jiraKey: "ABC-1" })).statusCode).toBe(403);
    const mine = json<{ items: { jiraKey: string | null; notifyOn: string }[] }>(await call(ctx, agent, "GET", "/api/v1/subscriptions")).items;
    expect(mine.filter((s) => s.jiraKey === "ABC-123")).toEqual([expect.objectContaining({ notifyOn: "updates" })]);
    const id = json<{ id: string }>(first).id;
    expect((await call(ctx, watcher, "DELETE", `/api/v1/subscriptions/${id}`)).statusCode).toBe(404);
    expect((await call(ctx, agent, "DELETE", `/api/v1/subscriptions/${id}`)).statusCode).toBe(204);
  });
});
