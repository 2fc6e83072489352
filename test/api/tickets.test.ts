import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { ticketEvents, tickets } from "../../src/db/schema/index.js";
import { call, createTestContext, json, type TestContext } from "../helpers/testApp.js";
import { buildAdmin, buildAgent, buildCustomer, buildTicket, type TestUser } from "../helpers/factories.js";

type TicketJson = { id: string; number: string; status: string; priority: string; assignee: { id: string } | null; messages: { body: string; internal: boolean }[] };

let ctx: TestContext;
let agent: TestUser;
let admin: TestUser;
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  ctx = await createTestContext();
  agent = await buildAgent(ctx);
  admin = await buildAdmin(ctx);
  alice = await buildCustomer(ctx);
  bob = await buildCustomer(ctx);
});
afterAll(() => ctx.close());

const newTicket = { subject: "Checkout button does nothing", description: "Clicking pay on the checkout page does nothing, no error shown.", category: "payments" };

const eventsOf = (ticketId: string) => ctx.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticketId)).orderBy(ticketEvents.id);

describe("tickets (marketplace requirements 1–12, 14, 15)", () => {
  it("1. creates a ticket for a signed-in customer with a SUP number and a created event", async () => {
    const res = await call(ctx, alice, "POST", "/api/v1/tickets", newTicket);
    expect(res.statusCode).toBe(201);
    const body = json<TicketJson>(res);
    expect(body.number).toMatch(/^SUP-\d{5}$/);
    expect(body.status).toBe("open");
    const events = await eventsOf(body.id);
    // The SLA engine picks the policy in the same transaction.
    expect(events.map((e) => e.type)).toEqual(["ticket.created", "sla.policy_applied"]);
    expect(events[0]!.actorId).toBe(alice.id);
    expect(events[0]!.toValue).toMatchObject({ number: body.number, status: "open" });
  });

  it("2 + 14. creates a ticket anonymously with an email and answers only the number", async () => {
    const res = await call(ctx, null, "POST", "/api/v1/tickets", { ...newTicket, email: "visitor@example.test", name: "Vera Visitor" });
    expect(res.statusCode).toBe(201);
    const body = json(res);
    expect(body.number).toMatch(/^SUP-\d{5}$/);
    expect(body).not.toHaveProperty("description");
    const [row] = await ctx.db.select().from(tickets).where(eq(tickets.number, body.number as string));
    expect(row?.source).toBe("portal");
  });

  it("rejects an anonymous ticket without an email", async () => {
    const res = await call(ctx, null, "POST", "/api/v1/tickets", newTicket);
    expect(res.statusCode).toBe(400);
    expect(res.headers["content-type"]).toContain("application/problem+json");
    expect(json(res).code).toBe("VALIDATION_FAILED");
  });

  it("3. lists only the customer's own tickets", async () => {
    const mine = await buildTicket(ctx, alice);
    const theirs = await buildTicket(ctx, bob);
    const res = await call(ctx, alice, "GET", "/api/v1/tickets?limit=200");
    expect(res.statusCode).toBe(200);
    const ids = json<{ items: { id: string }[] }>(res).items.map((t) => t.id);
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(theirs.id);
  });

  it("4 + 5. shows a customer their own ticket with messages, and another's as 404 (never 403)", async () => {
    const mine = await buildTicket(ctx, alice);
    const theirs = await buildTicket(ctx, bob);
    const own = await call(ctx, alice, "GET", `/api/v1/tickets/${mine.number}`);
    expect(own.statusCode).toBe(200);
    expect(json(own)).toHaveProperty("messages");
    for (const ref of [theirs.id, theirs.number]) {
      const other = await call(ctx, alice, "GET", `/api/v1/tickets/${ref}`);
      expect(other.statusCode).toBe(404);
      expect(other.body).not.toContain(theirs.subject === "" ? "x" : theirs.description);
    }
    const reply = await call(ctx, alice, "POST", `/api/v1/tickets/${theirs.id}/messages`, { body: "hello" });
    expect(reply.statusCode).toBe(404);
    const patch = await call(ctx, alice, "PATCH", `/api/v1/tickets/${theirs.id}`, { status: "closed" });
    expect(patch.statusCode).toBe(404);
  });

  it("6. lets a customer reply to their own ticket", async () => {
    const mine = await buildTicket(ctx, alice);
    const res = await call(ctx, alice, "POST", `/api/v1/tickets/${mine.id}/messages`, { body: "Any news on this?" });
    expect(res.statusCode).toBe(201);
    expect(json(res).internal).toBe(false);
    expect((await eventsOf(mine.id)).map((e) => e.type)).toContain("reply.added");
  });

  it("7 + 8. gives agents the full queue and filters by status", async () => {
    const a = await buildTicket(ctx, alice);
    const b = await buildTicket(ctx, bob);
    await call(ctx, agent, "PATCH", `/api/v1/tickets/${b.id}`, { status: "in_progress" });
    const all = json<{ items: { id: string; status: string }[] }>(await call(ctx, agent, "GET", "/api/v1/tickets?limit=200"));
    expect(all.items.map((t) => t.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    const filtered = json<{ items: { id: string; status: string }[] }>(await call(ctx, agent, "GET", "/api/v1/tickets?status=in_progress&limit=200"));
    expect(filtered.items.length).toBeGreaterThan(0);
    expect(filtered.items.every((t) => t.status === "in_progress")).toBe(true);
    expect(filtered.items.map((t) => t.id)).toContain(b.id);
  });

  it("9. updates status and records the transition", async () => {
    const t = await buildTicket(ctx, alice);
    const res = await call(ctx, agent, "PATCH", `/api/v1/tickets/${t.id}`, { status: "in_progress" });
    expect(res.statusCode).toBe(200);
    expect(json(res).status).toBe("in_progress");
    const change = (await eventsOf(t.id)).find((e) => e.type === "ticket.status_changed");
    expect(change).toMatchObject({ field: "status", fromValue: "open", toValue: "in_progress", actorId: agent.id });
  });

  it("answers an illegal transition with 409 and the allowed next states", async () => {
    const t = await buildTicket(ctx, alice);
    await call(ctx, agent, "PATCH", `/api/v1/tickets/${t.id}`, { status: "closed" });
    const res = await call(ctx, agent, "PATCH", `/api/v1/tickets/${t.id}`, { status: "in_progress" });
    expect(res.statusCode).toBe(409);
    expect(json(res)).toMatchObject({ code: "ILLEGAL_TRANSITION", from: "closed", allowed: ["open"] });
    const [row] = await ctx.db.select().from(tickets).where(eq(tickets.id, t.id));
    expect(row?.status).toBe("closed");
  });

  it("10. assigns a ticket to an agent, and refuses a customer as assignee", async () => {
    const t = await buildTicket(ctx, alice);
    const res = await call(ctx, agent, "PATCH", `/api/v1/tickets/${t.id}`, { assigneeId: agent.id });
    expect(res.statusCode).toBe(200);
    expect(json<TicketJson>(res).assignee?.id).toBe(agent.id);
    expect((await eventsOf(t.id)).find((e) => e.type === "ticket.assigned")).toMatchObject({ fromValue: null, toValue: agent.id });
    const bad = await call(ctx, agent, "PATCH", `/api/v1/tickets/${t.id}`, { assigneeId: bob.id });
    expect(bad.statusCode).toBe(422);
    expect(json(bad).field).toBe("assigneeId");
  });

  it("11 + 12. stores an internal note that the customer never sees, in any response", async () => {
    const t = await buildTicket(ctx, alice);
    const secret = "internal-only-7f3a: customer is on the watch list";
    const note = await call(ctx, agent, "POST", `/api/v1/tickets/${t.id}/messages`, { body: secret, internal: true });
    expect(note.statusCode).toBe(201);
    expect(json(note).internal).toBe(true);
    await call(ctx, agent, "POST", `/api/v1/tickets/${t.id}/messages`, { body: "We are looking into it.", internal: false });

    const staffView = json<TicketJson>(await call(ctx, agent, "GET", `/api/v1/tickets/${t.id}`));
    expect(staffView.messages.map((m) => m.body)).toContain(secret);
    for (const url of [`/api/v1/tickets/${t.id}`, `/api/v1/tickets/${t.id}/messages`, `/api/v1/tickets/${t.id}/events`, "/api/v1/tickets?limit=200", `/api/v1/tickets?q=${encodeURIComponent("watch list")}`]) {
      const res = await call(ctx, alice, "GET", url);
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain("internal-only-7f3a");
      expect(res.body).not.toContain("note.added");
    }
    const customerView = json<TicketJson>(await call(ctx, alice, "GET", `/api/v1/tickets/${t.id}`));
    expect(customerView.messages.map((m) => m.body)).toEqual(["We are looking into it."]);
  });

  it("15. keeps customers and agents out of admin routes", async () => {
    for (const who of [alice, agent]) {
      for (const [method, url] of [["POST", "/api/v1/users"], ["GET", "/api/v1/tokens"], ["POST", "/api/v1/teams"]] as const) {
        const res = await call(ctx, who, method, url, method === "POST" ? { name: "x", email: "x@example.test", role: "admin" } : undefined);
        expect(res.statusCode).toBe(403);
        expect(json(res).code).toBe("FORBIDDEN");
      }
    }
    expect((await call(ctx, alice, "GET", "/api/v1/users")).statusCode).toBe(403);
    expect((await call(ctx, admin, "GET", "/api/v1/tokens")).statusCode).toBe(200);
  });
});

describe("customer limits", () => {
  it("forbids customers to set assignee, team, internal notes or urgent priority", async () => {
    const t = await buildTicket(ctx, alice);
    const attempts: [string, unknown][] = [
      ["PATCH", { assigneeId: agent.id }],
      ["PATCH", { teamId: "2b1e4c8e-8d43-4c43-9d5f-1b0a2d9c6e11" }],
      ["PATCH", { priority: "urgent" }],
      ["PATCH", { status: "in_progress" }],
      ["MSG", { body: "psst", internal: true }],
    ];
    for (const [kind, body] of attempts) {
      const res = kind === "MSG"
        ? await call(ctx, alice, "POST", `/api/v1/tickets/${t.id}/messages`, body)
        : await call(ctx, alice, "PATCH", `/api/v1/tickets/${t.id}`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(403);
    }
    const create = await call(ctx, alice, "POST", "/api/v1/tickets", { ...newTicket, priority: "urgent" });
    expect(create.statusCode).toBe(403);
    expect((await eventsOf(t.id)).map((e) => e.type)).toEqual(["ticket.created", "sla.policy_applied"]);
  });

  it("lets a customer close and reopen their ticket", async () => {
    const t = await buildTicket(ctx, alice);
    expect(json((await call(ctx, alice, "PATCH", `/api/v1/tickets/${t.id}`, { status: "closed" }))).status).toBe("closed");
    const reopened = await call(ctx, alice, "PATCH", `/api/v1/tickets/${t.id}`, { status: "open" });
    expect(json(reopened).status).toBe("open");
    expect((await eventsOf(t.id)).map((e) => e.type)).toContain("ticket.reopened");
  });

  it("moves waiting_on_customer back to in_progress when the customer replies", async () => {
    const t = await buildTicket(ctx, alice);
    await call(ctx, agent, "PATCH", `/api/v1/tickets/${t.id}`, { status: "waiting_on_customer" });
    await call(ctx, alice, "POST", `/api/v1/tickets/${t.id}/messages`, { body: "Here is the log you asked for." });
    const after = json(await call(ctx, agent, "GET", `/api/v1/tickets/${t.id}`));
    expect(after.status).toBe("in_progress");
  });

  it("lets an organization manager see colleagues' tickets, but not a plain colleague", async () => {
    const { createOrganization } = await import("../../src/commands/organizations/createOrganization.js");
    const org = await createOrganization({ db: ctx.db, name: `Initech ${Date.now()}` });
    const manager = await buildCustomer(ctx, { organizationId: org.id, isOrgManager: true });
    const colleague = await buildCustomer(ctx, { organizationId: org.id });
    const peer = await buildCustomer(ctx, { organizationId: org.id });
    const t = await buildTicket(ctx, colleague);
    expect((await call(ctx, manager, "GET", `/api/v1/tickets/${t.id}`)).statusCode).toBe(200);
    expect((await call(ctx, peer, "GET", `/api/v1/tickets/${t.id}`)).statusCode).toBe(404);
  });
});
