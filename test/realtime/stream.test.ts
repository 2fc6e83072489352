import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authTokens } from "../../src/db/schema/index.js";
import { generateToken, hashToken } from "../../src/auth/tokens.js";
import { call, createTestContext, json, type TestContext } from "../helpers/testApp.js";
import { buildAdmin, buildAgent, buildCustomer, buildOrganization, type TestUser } from "../helpers/factories.js";
import { addSeconds, createPolicy, resync, stampEvents } from "../helpers/sla.js";
import { isFrame, StreamClient, type Frame } from "./streamClient.js";

/*
 * The stream end to end: real sockets against a listening app, changes made through the HTTP
 * API, frames carried by NOTIFY on the real database (PGlite, or PostgreSQL with DATABASE_URL).
 */

let ctx: TestContext;
let base: string;
let admin: TestUser;
let agent: TestUser;
let customer: TestUser;
const clients: StreamClient[] = [];

beforeAll(async () => {
  ctx = await createTestContext();
  base = await ctx.app.listen({ port: 0, host: "127.0.0.1" });
  admin = await buildAdmin(ctx);
  agent = await buildAgent(ctx);
  customer = await buildCustomer(ctx);
  await createPolicy(ctx, admin, { name: "Stream drill", conditions: { category: ["rt-warn"] }, targets: { first_response: { seconds: 10_000, timeMode: "calendar" } } });
});
afterAll(async () => {
  for (const c of clients) await c.close();
  await ctx.close();
});

async function connect(who: TestUser): Promise<StreamClient> {
  const client = await StreamClient.connect(base, { bearer: who.token });
  clients.push(client);
  return client;
}

type TicketJson = { id: string; number: string };
async function fileTicket(who: TestUser, fields: Record<string, unknown> = {}): Promise<TicketJson> {
  const res = await call(ctx, who, "POST", "/api/v1/tickets", {
    subject: "The VPN drops every ten minutes",
    description: "Since Monday the VPN client disconnects every ten minutes or so.",
    ...fields,
  });
  expect(res.statusCode, res.body).toBe(201);
  return json<TicketJson>(res);
}

async function post(who: TestUser, ticketId: string, body: string, internal = false): Promise<{ id: string }> {
  const res = await call(ctx, who, "POST", `/api/v1/tickets/${ticketId}/messages`, { body, internal });
  expect(res.statusCode, res.body).toBe(201);
  return json<{ id: string }>(res);
}

async function patch(who: TestUser, ticketId: string, change: Record<string, unknown>) {
  const res = await call(ctx, who, "PATCH", `/api/v1/tickets/${ticketId}`, change);
  expect(res.statusCode, res.body).toBe(200);
}

const ticketOf = (f: Frame) => f.data.ticket as Record<string, unknown>;
const messageOf = (f: Frame) => f.data.message as { id: string; body: string; internal: boolean };

describe("an agent's stream", () => {
  it("receives ticket.created, ticket.updated, ticket.assigned and message.created (notes too), presented for staff", async () => {
    const stream = await connect(agent);
    const t = await fileTicket(customer);

    const created = await stream.next(isFrame("ticket.created", t.id), "ticket.created");
    expect(created).toMatchObject({ ticketNumber: t.number, data: { changes: ["ticket.created"] } });
    expect(Date.parse(created.at)).not.toBeNaN();
    expect(ticketOf(created)).toMatchObject({ id: t.id, number: t.number, status: "open", requester: { id: customer.id } });
    expect(ticketOf(created)).toHaveProperty("tags"); // the staff view

    await patch(agent, t.id, { status: "in_progress", priority: "high" });
    const updated = await stream.next(isFrame("ticket.updated", t.id), "ticket.updated");
    expect(updated.data.changes).toEqual(["ticket.status_changed", "ticket.priority_changed"]);
    expect(ticketOf(updated)).toMatchObject({ status: "in_progress", priority: "high" });

    await patch(admin, t.id, { assigneeId: agent.id });
    const assigned = await stream.next(isFrame("ticket.assigned", t.id), "ticket.assigned");
    expect(ticketOf(assigned).assignee).toMatchObject({ id: agent.id });

    const reply = await post(agent, t.id, "Can you send us the client log?");
    const note = await post(agent, t.id, "Looks like the 4.2 client bug again.", true);
    const replied = await stream.next((f) => f.type === "message.created" && messageOf(f).id === reply.id, "the reply");
    expect(messageOf(replied)).toMatchObject({ body: "Can you send us the client log?", internal: false, author: { id: agent.id } });
    const noted = await stream.next((f) => f.type === "message.created" && messageOf(f).id === note.id, "the note");
    expect(messageOf(noted)).toMatchObject({ body: "Looks like the 4.2 client bug again.", internal: true });
    // One frame per change, in commit order.
    expect(stream.framesFor(t.id).map((f) => f.type)).toEqual([
      "ticket.created",
      "ticket.updated",
      "ticket.assigned",
      "message.created",
      "ticket.updated", // the first response
      "message.created",
    ]);
  });

  it("receives sla.warning when the sweep (POST /api/v1/sla/check) warns about a ticket", async () => {
    const stream = await connect(agent);
    const t = await fileTicket(customer, { category: "rt-warn" });
    // 76 % of a 10 000 s first-response target has passed.
    const now = new Date();
    await stampEvents(ctx, t.id, 0, addSeconds(now, -7600));
    await resync(ctx, t.id, now);
    const check = await call(ctx, admin, "POST", "/api/v1/sla/check");
    expect(check.statusCode, check.body).toBe(200);
    expect(json<{ actions: { ticketId: string }[] }>(check).actions).toContainEqual(expect.objectContaining({ ticketId: t.id, kind: "warning", threshold: 75 }));

    const warning = await stream.next(isFrame("sla.warning", t.id), "sla.warning");
    expect(warning).toMatchObject({ ticketNumber: t.number, data: { metric: "first_response", threshold: 75 } });
    expect(ticketOf(warning)).toMatchObject({ id: t.id });
  });
});

describe("a customer's stream", () => {
  it("carries their own tickets only, without notes or staff-only changes", async () => {
    const other = await buildCustomer(ctx);
    const mine = await connect(customer);
    const theirs = await connect(other);

    const t = await fileTicket(customer);
    const created = await mine.next(isFrame("ticket.created", t.id), "their ticket.created");
    expect(ticketOf(created)).not.toHaveProperty("tags");
    expect(ticketOf(created)).not.toHaveProperty("customFields");

    const secret = "Customer is on the watch list, do not refund";
    const note = await post(agent, t.id, secret, true);
    await patch(agent, t.id, { tags: ["vip"], isEscalated: true });
    const reply = await post(agent, t.id, "We are looking into it.");
    await patch(agent, t.id, { status: "waiting_on_customer" });
    const waiting = await mine.next((f) => f.type === "ticket.updated" && ticketOf(f).status === "waiting_on_customer", "the status change");
    expect(waiting.data.changes).toEqual(["ticket.status_changed"]);

    // The note and the tag change came before the reply and the status change, which did arrive.
    expect(mine.framesFor(t.id).map((f) => f.type)).toEqual(["ticket.created", "message.created", "ticket.updated", "ticket.updated"]);
    const [, public_, firstResponse] = mine.framesFor(t.id);
    expect(messageOf(public_!)).toMatchObject({ id: reply.id, internal: false });
    expect(firstResponse!.data.changes).toEqual(["ticket.first_response"]);
    const everything = mine.raw.join("\n");
    expect(everything).not.toContain(note.id);
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain("vip");
    expect(mine.frames.some((f) => f.type.startsWith("sla."))).toBe(false);
    expect(mine.frames.some((f) => f.type === "message.created" && messageOf(f).internal)).toBe(false);

    // Another customer's ticket reaches its owner and nobody else.
    const foreign = await fileTicket(other);
    await theirs.next(isFrame("ticket.created", foreign.id), "the other customer's ticket.created");
    await post(agent, t.id, "One more question: which OS?");
    await mine.next((f) => f.type === "message.created" && messageOf(f).body.includes("which OS"), "a later reply");
    expect(mine.framesFor(foreign.id)).toEqual([]);
    expect(theirs.framesFor(t.id)).toEqual([]);
  });

  it("shows an organization manager the organization's tickets, and a plain colleague only their own", async () => {
    const org = await buildOrganization(ctx);
    const manager = await buildCustomer(ctx, { organizationId: org.id, isOrgManager: true });
    const colleague = await buildCustomer(ctx, { organizationId: org.id });
    const peer = await buildCustomer(ctx, { organizationId: org.id });
    const managerStream = await connect(manager);
    const peerStream = await connect(peer);

    const t = await fileTicket(colleague);
    await managerStream.next(isFrame("ticket.created", t.id), "the colleague's ticket at the manager");
    const own = await fileTicket(peer);
    await peerStream.next(isFrame("ticket.created", own.id), "the peer's own ticket");
    await managerStream.next(isFrame("ticket.created", own.id), "the peer's ticket at the manager");
    expect(peerStream.framesFor(t.id)).toEqual([]);
  });
});

describe("credentials", () => {
  const expectRefused = async (client: StreamClient, reason: RegExp) => {
    const closed = await client.closed;
    expect(closed.code).toBe(1008);
    expect(closed.reason).toMatch(reason);
    expect(client.frames).toEqual([]);
  };

  it("accepts a token as Bearer, as ?token= and as the session cookie", async () => {
    for (const credentials of [{ bearer: agent.token }, { query: customer.token }, { cookie: customer.token }]) {
      const client = await StreamClient.connect(base, credentials);
      clients.push(client);
      expect(client.frames[0]!.type).toBe("stream.ready");
    }
  });

  it("completes the upgrade and closes with 1008 without a token, or with an unknown one", async () => {
    await expectRefused(StreamClient.open(base), /sign in/);
    await expectRefused(StreamClient.open(base, { query: "sbs_this-token-was-never-issued-to-anyone" }), /invalid or expired/);
    await expectRefused(StreamClient.open(base, { bearer: "sbs_this-token-was-never-issued-to-anyone" }), /invalid or expired/);
    await expectRefused(StreamClient.open(base, { cookie: "sbs_this-token-was-never-issued-to-anyone" }), /invalid or expired/);
  });

  it("closes with 1008 for an expired token and for a signed-out session", async () => {
    const expired = generateToken("session");
    await ctx.db.insert(authTokens).values({ userId: agent.id, kind: "session", tokenHash: hashToken(expired), expiresAt: new Date(Date.now() - 1000) });
    await expectRefused(StreamClient.open(base, { query: expired }), /invalid or expired/);

    const leaving = await buildCustomer(ctx);
    expect((await call(ctx, leaving, "POST", "/api/v1/auth/logout")).statusCode).toBe(204);
    await expectRefused(StreamClient.open(base, { bearer: leaving.token }), /invalid or expired/);
  });

  it("answers a plain HTTP request with 401 for a stranger and 400 for a signed-in caller", async () => {
    const stranger = await fetch(`${base}/api/v1/stream`);
    expect(stranger.status).toBe(401);
    expect(stranger.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(((await stranger.json()) as { code: string }).code).toBe("UNAUTHENTICATED");
    const known = await fetch(`${base}/api/v1/stream`, { headers: { authorization: `Bearer ${agent.token}` } });
    expect(known.status).toBe(400);
  });
});
