import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyBaseLogger } from "fastify";
import { pino } from "pino";
import type { Actor } from "../../src/policies/actor.js";
import { StreamHub, type HubOptions, type StreamSocket } from "../../src/realtime/streamHub.js";
import { createTestContext, type TestContext } from "../helpers/testApp.js";
import { buildAgent, buildCustomer, buildTicket, type TestUser } from "../helpers/factories.js";

/*
 * The hub's failure paths, which a well-behaved `ws` client never takes: a peer that stops
 * answering pings, one that stops reading, a session that ends while connected, a peer that
 * ignores the close handshake. Sockets are fakes; the database and the notices are real.
 */

class FakeSocket implements StreamSocket {
  readyState = 1;
  bufferedAmount = 0;
  readonly sent: string[] = [];
  pings = 0;
  closedWith: { code: number; reason: string } | undefined;
  isTerminated = false;
  private readonly listeners = new Map<string, (() => void)[]>();

  constructor(private readonly behaviour: { answersPings?: boolean; answersClose?: boolean } = {}) {}

  send(data: string) {
    this.sent.push(data);
  }
  ping() {
    this.pings += 1;
    if (this.behaviour.answersPings ?? true) queueMicrotask(() => this.emit("pong"));
  }
  close(code: number, reason: string) {
    this.closedWith = { code, reason };
    if (this.behaviour.answersClose ?? true) queueMicrotask(() => this.gone());
  }
  terminate() {
    this.isTerminated = true;
    this.gone();
  }
  on(event: "pong" | "close", listener: () => void) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  types(): string[] {
    return this.sent.map((s) => (JSON.parse(s) as { type: string }).type);
  }
  private gone() {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.emit("close");
  }
  private emit(event: string) {
    for (const l of this.listeners.get(event) ?? []) l();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = pino({ level: "silent" }) as unknown as FastifyBaseLogger;

let ctx: TestContext;
let agent: TestUser;
let customer: TestUser;
const hubs: StreamHub[] = [];

beforeAll(async () => {
  ctx = await createTestContext();
  agent = await buildAgent(ctx);
  customer = await buildCustomer(ctx);
});
afterAll(async () => {
  for (const hub of hubs) await hub.close();
  await ctx.close();
});

function hub(options: Partial<HubOptions> = {}): StreamHub {
  const h = new StreamHub({ db: ctx.db, log, authenticate: async () => agent.actor, ...options });
  hubs.push(h);
  return h;
}

/** What the listener hands the hub after a ticket is created. */
async function createdNotice(): Promise<{ ticketId: string; payload: string }> {
  const t = await buildTicket(ctx, customer);
  return { ticketId: t.id, payload: JSON.stringify({ ticketId: t.id, at: new Date().toISOString(), events: [{ type: "ticket.created" }] }) };
}

describe("the stream hub", () => {
  it("greets a client with stream.ready", () => {
    const socket = new FakeSocket();
    hub().add(socket, agent.actor, agent.token);
    expect(socket.types()).toEqual(["stream.ready"]);
    expect(JSON.parse(socket.sent[0]!)).toMatchObject({ ticketId: null, data: { user: { id: agent.id, role: "agent" } } });
  });

  it("pings clients and drops one that stopped answering", async () => {
    const h = hub({ heartbeatMs: 20 });
    const alive = new FakeSocket();
    const dead = new FakeSocket({ answersPings: false });
    h.add(alive, agent.actor, agent.token);
    h.add(dead, agent.actor, agent.token);
    await sleep(150);
    expect(dead.isTerminated).toBe(true);
    expect(alive.isTerminated).toBe(false);
    expect(alive.pings).toBeGreaterThanOrEqual(3);
    expect(h.size).toBe(1);
  });

  it("drops a client whose send buffer is full instead of queueing more for it, and keeps serving the others", async () => {
    const h = hub({ maxBufferedBytes: 64 * 1024 });
    const slow = new FakeSocket();
    const fast = new FakeSocket();
    h.add(slow, agent.actor, agent.token);
    h.add(fast, agent.actor, agent.token);
    slow.bufferedAmount = 10 * 1024 * 1024;
    const { ticketId, payload } = await createdNotice();
    h.receive(payload);
    await h.idle();
    expect(slow.isTerminated).toBe(true);
    expect(slow.types()).toEqual(["stream.ready"]);
    expect(fast.types()).toEqual(["stream.ready", "ticket.created"]);
    expect(JSON.parse(fast.sent[1]!)).toMatchObject({ ticketId });
    expect(h.size).toBe(1);
  });

  it("checks tokens again while connected: an ended session is closed with 1008, a changed account applies", async () => {
    const promoted: Actor = { ...customer.actor, role: "agent" };
    const h = hub({
      heartbeatMs: 20,
      recheckMs: 0,
      authenticate: async (token) => (token === "still-good" ? promoted : null),
    });
    const ended = new FakeSocket();
    const kept = new FakeSocket();
    h.add(ended, customer.actor, "signed-out");
    h.add(kept, customer.actor, "still-good");
    await sleep(100);
    expect(ended.closedWith).toEqual({ code: 1008, reason: "the session has ended" });
    expect(kept.closedWith).toBeUndefined();
    // Now seen as staff: a ticket of another customer reaches it.
    const other = await buildCustomer(ctx);
    const t = await buildTicket(ctx, other);
    h.receive(JSON.stringify({ ticketId: t.id, at: new Date().toISOString(), events: [{ type: "ticket.created" }] }));
    await h.idle();
    expect(kept.types()).toContain("ticket.created");
  });

  it("closes every client with 1001 on shutdown, terminating one that ignores the handshake, and refuses newcomers", async () => {
    const h = hub({ closeGraceMs: 50 });
    const polite = new FakeSocket();
    const deaf = new FakeSocket({ answersClose: false });
    h.add(polite, agent.actor, agent.token);
    h.add(deaf, agent.actor, agent.token);
    await h.close();
    expect(polite.closedWith).toEqual({ code: 1001, reason: "server shutting down" });
    expect(polite.isTerminated).toBe(false);
    expect(deaf.closedWith?.code).toBe(1001);
    expect(deaf.isTerminated).toBe(true);
    expect(h.size).toBe(0);
    const late = new FakeSocket();
    h.add(late, agent.actor, agent.token);
    expect(late.closedWith?.code).toBe(1001);
    expect(late.sent).toEqual([]);
  });

  it("ignores a payload that is not an activity notice", async () => {
    const h = hub();
    const socket = new FakeSocket();
    h.add(socket, agent.actor, agent.token);
    h.receive("{ not json");
    h.receive(JSON.stringify({ hello: "world" }));
    await h.idle();
    expect(socket.types()).toEqual(["stream.ready"]);
  });
});
