import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { count, eq } from "drizzle-orm";
import { attachments, messages, ticketEvents, tickets, users } from "../../src/db/schema/index.js";
import { ticketStatuses } from "../../src/domain/ticketStatus.js";
import { createTestContext, type TestContext } from "../helpers/testApp.js";
import { buildAgent, buildCustomer, buildTicket, type TestUser } from "../helpers/factories.js";
import type { TicketRow } from "../../src/db/repositories/findTicket.js";

/**
 * Throws random bodies at the write endpoints. Whatever arrives, the server must answer below
 * 500, explain a refusal as problem+json with a code, and leave the database untouched when it
 * refuses. Seeds are fixed so a failure reproduces; fast-check prints the shrunk body.
 */

const RUNS = 400;

let ctx: TestContext;
let agent: TestUser;
let alice: TestUser;
let ticket: TicketRow;

beforeAll(async () => {
  // Anonymous creates are fuzzed too; the per-IP limit has its own test in routeTable.test.ts.
  ctx = await createTestContext({ ANON_TICKET_RATE_LIMIT: "100000" });
  agent = await buildAgent(ctx);
  alice = await buildCustomer(ctx);
  ticket = await buildTicket(ctx, alice);
});
afterAll(() => ctx.close());

type Caller = "agent" | "customer" | "anonymous";

async function snapshot() {
  const n = async (table: typeof tickets | typeof messages | typeof ticketEvents | typeof attachments | typeof users) =>
    (await ctx.db.select({ n: count() }).from(table))[0]!.n;
  const [row] = await ctx.db.select().from(tickets).where(eq(tickets.id, ticket.id));
  return {
    ticket: row,
    tickets: await n(tickets),
    messages: await n(messages),
    ticketEvents: await n(ticketEvents),
    attachments: await n(attachments),
    users: await n(users),
  };
}

/** Sends one raw JSON payload and checks the property. */
async function probe(method: "POST" | "PATCH", url: string, caller: Caller, payload: string) {
  // A run may have closed the ticket; reopen it (outside the snapshot) so later runs reach deeper code.
  await ctx.db.update(tickets).set({ status: "open", closedAt: null, resolvedAt: null }).where(eq(tickets.id, ticket.id));
  const token = caller === "agent" ? agent.token : caller === "customer" ? alice.token : null;
  const before = await snapshot();
  const res = await ctx.app.inject({
    method,
    url,
    payload,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  const context = `${method} ${url} as ${caller}: ${payload.slice(0, 300)} → ${res.statusCode} ${res.body.slice(0, 300)}`;
  expect(res.statusCode, context).toBeLessThan(500);
  expect(res.statusCode, context).toBeGreaterThanOrEqual(200);
  if (res.statusCode >= 400) {
    expect(res.headers["content-type"], context).toMatch(/^application\/problem\+json/);
    const problem = res.json() as { code?: unknown; status?: unknown };
    expect(typeof problem.code, context).toBe("string");
    expect(problem.status, context).toBe(res.statusCode);
    expect(await snapshot(), context).toEqual(before);
  }
}

// ---------- arbitraries ----------

const huge = "Ω".repeat(600_000); // 1.2 MB of UTF-8: over the body limit
const nasty = fc.constantFrom(
  "",
  " ",
  "   \t\n  ",
  "\u0000",
  "abc\u0000defghijklmnopqrstuvwxyz",
  "\ud800 lone surrogate in a long enough string",
  "😀".repeat(60),
  "e\u0301".repeat(30),
  "\u202eRTL override subject line",
  "<script>alert(1)</script> and some more text",
  "'; drop table tickets; -- and some more text",
  "../../etc/passwd",
  "SUP-00001",
  "null",
  "__proto__",
);
const longString = fc.integer({ min: 10_001, max: 40_000 }).map((n) => "x".repeat(n));
const junk: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: nasty },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 80 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 300 }) },
  { weight: 1, arbitrary: longString },
  { weight: 1, arbitrary: fc.constant(huge) },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -1, 1e308, Number.MAX_SAFE_INTEGER + 2)) },
  { weight: 1, arbitrary: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 }) },
);
/** Mostly plausible values, often replaced by junk. */
const field = (plausible: fc.Arbitrary<unknown>) => fc.oneof({ weight: 3, arbitrary: plausible }, { weight: 2, arbitrary: junk });
const text = (min: number, max: number) =>
  fc.oneof(fc.string({ minLength: min, maxLength: max }), fc.string({ unit: "binary", minLength: min, maxLength: Math.min(max, 300) }));
const extraKeys = fc.dictionary(
  fc.oneof(fc.constantFrom("__proto__", "constructor", "prototype", "id", "requesterId", "number", "createdAt", "authorId"), fc.string({ maxLength: 12 })),
  junk,
  { maxKeys: 3 },
);

const ids = () => fc.oneof(fc.constantFrom(agent.id, alice.id, null, ticket.id), fc.uuid());
const statuses = fc.constantFrom(...ticketStatuses, "nope", "OPEN");
const priorities = fc.constantFrom("low", "medium", "high", "urgent", "critical");
const categories = fc.constantFrom("general", "billing", "Has Spaces", "a".repeat(65), "-leading");
const tags = fc.array(fc.oneof(fc.string({ maxLength: 60 }), nasty), { maxLength: 55 });
const customFields = fc.dictionary(fc.oneof(fc.string({ maxLength: 120 }), nasty), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 });

/** A body: usually an object of fields, sometimes with extra keys. */
function objectBody(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
  const record = fc.record(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, field(v)])), { requiredKeys: [] });
  return fc.tuple(record, fc.option(extraKeys, { freq: 4 })).map(([r, extra]) => ({ ...r, ...(extra ?? {}) }));
}

/** JSON text of an object body, any JSON value, or text that is not JSON at all. */
function payloads(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<string> {
  const body = objectBody(fields).map((b) => JSON.stringify(b));
  const broken = fc.oneof(
    fc.tuple(body, fc.nat()).map(([s, n]) => s.slice(0, n % s.length)),
    fc.tuple(body, fc.nat(), fc.constantFrom("}", "{", ",", '"', "\\", "\u0000", "]]")).map(([s, n, c]) => s.slice(0, n % s.length) + c + s.slice(n % s.length)),
    fc.string({ maxLength: 60 }),
    fc.constantFrom('{"subject":', "{", "[", "undefined", "{'a':1}", '{"a":1,}', "NaN", '{"__proto__":{"role":"admin"}}', '{"constructor":{"prototype":{"x":1}}}', '{"a":"\\ud800"}', '{"a":"\\u0000"}'),
  );
  return fc.oneof(
    { weight: 6, arbitrary: body },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
    { weight: 2, arbitrary: broken },
  );
}

const callers = (...who: Caller[]) => fc.constantFrom(...who);

describe("fuzzing the write endpoints", () => {
  it(`POST /api/v1/tickets survives ${RUNS} random bodies`, async () => {
    const bodies = payloads({
      subject: text(5, 200),
      description: text(20, 400),
      category: categories,
      priority: priorities,
      email: fc.oneof(fc.emailAddress(), fc.constantFrom("visitor@example.test", "not-an-email", "a@b")),
      name: text(1, 120),
      tags,
      customFields,
      assigneeId: ids(),
      teamId: fc.oneof(fc.constant(null), fc.uuid()),
      source: fc.constantFrom("portal", "api", "internal", "email"),
    });
    await fc.assert(
      fc.asyncProperty(callers("agent", "customer", "anonymous"), bodies, (caller, payload) => probe("POST", "/api/v1/tickets", caller, payload)),
      { numRuns: RUNS, seed: 0x5b_0001 },
    );
  }, 60_000);

  it(`PATCH /api/v1/tickets/:id survives ${RUNS} random bodies`, async () => {
    const bodies = payloads({
      subject: text(5, 200),
      status: statuses,
      priority: priorities,
      category: categories,
      assigneeId: ids(),
      teamId: fc.oneof(fc.constant(null), fc.uuid()),
      tags,
      customFields,
      isEscalated: fc.boolean(),
    });
    const refs = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(ticket.id, ticket.number) }, { weight: 1, arbitrary: fc.string({ maxLength: 70 }).map(encodeURIComponent) });
    await fc.assert(
      fc.asyncProperty(callers("agent", "customer"), refs, bodies, (caller, ref, payload) => probe("PATCH", `/api/v1/tickets/${ref || ticket.id}`, caller, payload)),
      { numRuns: RUNS, seed: 0x5b_0002 },
    );
  }, 60_000);

  it(`POST /api/v1/tickets/:id/messages survives ${RUNS} random bodies`, async () => {
    const bodies = payloads({
      body: text(1, 400),
      internal: fc.boolean(),
      attachmentIds: fc.array(fc.uuid(), { maxLength: 7 }),
    });
    await fc.assert(
      fc.asyncProperty(callers("agent", "customer"), bodies, (caller, payload) => probe("POST", `/api/v1/tickets/${ticket.id}/messages`, caller, payload)),
      { numRuns: RUNS, seed: 0x5b_0003 },
    );
  }, 60_000);
});
