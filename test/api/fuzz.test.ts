import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { eq, sql } from "drizzle-orm";
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

/** The fuzzed ticket's row and the size of every table a request could write to, in one query. */
async function snapshot() {
  const total = (table: typeof tickets | typeof messages | typeof ticketEvents | typeof attachments | typeof users) =>
    sql<number>`(select count(*) from ${table})::int`;
  const [row] = await ctx.db
    .select({
      ticket: tickets,
      tickets: total(tickets),
      messages: total(messages),
      ticketEvents: total(ticketEvents),
      attachments: total(attachments),
      users: total(users),
    })
    .from(tickets)
    .where(eq(tickets.id, ticket.id));
  return row;
}

let isTicketDirty = false;

/** Sends one raw JSON payload and checks the property. */
async function probe(method: "POST" | "PATCH", url: string, caller: Caller, payload: string): Promise<readonly [number, string | undefined]> {
  // A successful run may have closed the ticket; reopen it (outside the snapshot) so later runs reach deeper code.
  if (isTicketDirty) {
    await ctx.db.update(tickets).set({ status: "open", closedAt: null, resolvedAt: null }).where(eq(tickets.id, ticket.id));
    isTicketDirty = false;
  }
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
    return [res.statusCode, problem.code as string] as const;
  }
  expect(res.headers["content-type"], context).toMatch(/^application\/json/);
  isTicketDirty = true;
  return [res.statusCode, undefined] as const;
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
const oddChars = ["\u0000", "\u0000", "\ud800", "\udfff", "\u202e", "\ufeff", "\uffff", "\u0007", "\\", '"', "'", "%", "\n"];
/** Text of a valid length with a NUL, control, bidi or broken-surrogate character somewhere inside. */
const oddText = (min: number, max: number) =>
  fc
    .tuple(fc.string({ minLength: min, maxLength: Math.max(min, max - 2) }), fc.constantFrom(...oddChars), fc.nat())
    .map(([s, c, at]) => s.slice(0, at % (s.length + 1)) + c + s.slice(at % (s.length + 1)));
/** Text of a valid length: ASCII, whole graphemes, any code point, or odd characters. */
const text = (min: number, max: number) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.string({ minLength: min, maxLength: max }) },
    { weight: 1, arbitrary: fc.string({ unit: "grapheme", minLength: min, maxLength: Math.min(max, 300) }) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", minLength: min, maxLength: Math.min(max, 300) }) },
    { weight: 1, arbitrary: oddText(min, max) },
  );
/** Text that just misses: a length off the edge, blank, or odd characters. */
const textNearMiss = (min: number, max: number) =>
  fc.oneof(fc.constantFrom("x".repeat(Math.max(0, min - 1)), "x".repeat(max + 1), " ".repeat(min + 2)), oddText(min, max));
const extraKey = fc.oneof(fc.constantFrom("__proto__", "constructor", "prototype", "id", "requesterId", "number", "createdAt", "authorId"), fc.string({ maxLength: 12 }));

/** A field: values the schema accepts, and values that just miss. */
type Field = { valid: fc.Arbitrary<unknown>; nearMiss: fc.Arbitrary<unknown> };
const textField = (min: number, max: number): Field => ({ valid: text(min, max), nearMiss: textNearMiss(min, max) });
const ids = (): Field => ({ valid: fc.constantFrom(agent.id, null), nearMiss: fc.oneof(fc.constantFrom(alice.id, ticket.id, "me"), fc.uuid()) });
const teamIds: Field = { valid: fc.constant(null), nearMiss: fc.uuid() };
const statuses: Field = { valid: fc.constantFrom(...ticketStatuses), nearMiss: fc.constantFrom("nope", "OPEN", "Closed", "") };
const priorities: Field = { valid: fc.constantFrom("low", "medium", "high", "urgent"), nearMiss: fc.constantFrom("critical", "HIGH", "") };
const categories: Field = { valid: fc.constantFrom("general", "billing", "vpn_access", "a-b"), nearMiss: fc.constantFrom("Has Spaces", "a".repeat(65), "-leading", "ünïcode", "") };
const emails: Field = {
  valid: fc.nat().map((n) => `visitor-${n}@example.test`),
  nearMiss: fc.oneof(fc.emailAddress(), fc.constantFrom("not-an-email", "a@b", "@example.test", `${"a".repeat(250)}@example.test`)),
};
const tags: Field = {
  valid: fc.array(fc.oneof(fc.constantFrom("billing", "VPN", "Needs Follow-up", "ünïcode", "😀"), text(1, 50)), { maxLength: 5 }),
  nearMiss: fc.array(fc.oneof(textNearMiss(1, 50), nasty), { minLength: 1, maxLength: 55 }),
};
const customFields: Field = {
  valid: fc.dictionary(text(1, 20), fc.oneof(fc.jsonValue({ maxDepth: 3 }), text(0, 50), fc.array(text(0, 20), { maxLength: 3 })), { maxKeys: 4 }),
  nearMiss: fc.dictionary(fc.oneof(textNearMiss(1, 100), nasty), fc.oneof(fc.jsonValue({ maxDepth: 3 }), textNearMiss(0, 50), fc.constant(huge.slice(0, 20_000))), { minKeys: 1, maxKeys: 6 }),
};
const booleans: Field = { valid: fc.boolean(), nearMiss: fc.constantFrom("true", 1, 0, "yes") };

type Shape = { required: Record<string, Field>; optional: Record<string, Field> };
type Mutation = { key: string; value: unknown } | { key: string; drop: true };

const validOf = (fields: Record<string, Field>) => Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, f.valid]));

/**
 * An object body: a valid one, or a valid one with one to three mutations (a near miss, junk,
 * a dropped field, an extra key), so most requests get past the parser and many past the schema.
 */
function objectBody(shape: Shape): fc.Arbitrary<Record<string, unknown>> {
  const fields = { ...shape.required, ...shape.optional };
  const keys = Object.keys(fields);
  const valid = fc.record({ ...validOf(shape.required), ...validOf(shape.optional) }, { requiredKeys: Object.keys(shape.required) });
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...keys).chain((key) => fields[key]!.nearMiss.map((value) => ({ key, value }))) },
    { weight: 2, arbitrary: fc.record({ key: fc.constantFrom(...keys), value: junk }) },
    { weight: 1, arbitrary: fc.record({ key: fc.constantFrom(...keys), drop: fc.constant(true as const) }) },
    { weight: 1, arbitrary: fc.record({ key: extraKey, value: junk }) },
  );
  const mutations = fc.oneof({ weight: 1, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 3 }) });
  return fc.tuple(valid, mutations).map(([body, changes]) => {
    const out: Record<string, unknown> = { ...body };
    for (const m of changes) {
      if ("drop" in m) delete out[m.key];
      // defineProperty: a "__proto__" key must become a real key of the JSON, not a prototype.
      else Object.defineProperty(out, m.key, { value: m.value, enumerable: true, configurable: true, writable: true });
    }
    return out;
  });
}

/** JSON text of an object body, any JSON value, or text that is not JSON at all. */
function payloads(shape: Shape): fc.Arbitrary<string> {
  const body = objectBody(shape).map((b) => JSON.stringify(b));
  const broken = fc.oneof(
    fc.tuple(body, fc.nat()).map(([s, n]) => s.slice(0, n % s.length)),
    fc.tuple(body, fc.nat(), fc.constantFrom("}", "{", ",", '"', "\\", "\u0000", "]]")).map(([s, n, c]) => s.slice(0, n % s.length) + c + s.slice(n % s.length)),
    fc.string({ maxLength: 60 }),
    fc.constantFrom('{"subject":', "{", "[", "undefined", "{'a':1}", '{"a":1,}', "NaN", '{"__proto__":{"role":"admin"}}', '{"constructor":{"prototype":{"x":1}}}', '{"a":"\\ud800"}', '{"a":"\\u0000"}'),
  );
  return fc.oneof(
    { weight: 8, arbitrary: body },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: broken },
  );
}

const callers = (...who: Caller[]) => fc.constantFrom(...who);

const upFrontCodes = new Set(["VALIDATION_FAILED", "MALFORMED_JSON", "PAYLOAD_TOO_LARGE"]);

/** Answers by kind, so a generator that only ever trips the parser or the schema is noticed. */
function tally() {
  const seen = { success: 0, refusedUpFront: 0, refusedDeeper: 0 };
  return {
    seen,
    record(status: number, code: string | undefined) {
      if (status < 300) seen.success++;
      else if (code && upFrontCodes.has(code)) seen.refusedUpFront++;
      else seen.refusedDeeper++;
    },
  };
}

describe("fuzzing the write endpoints", () => {
  it(`POST /api/v1/tickets survives ${RUNS} random bodies`, async () => {
    const bodies = payloads({
      required: { subject: textField(5, 200), description: textField(20, 400) },
      optional: {
        category: categories,
        priority: priorities,
        email: emails,
        name: textField(1, 120),
        tags,
        customFields,
        assigneeId: ids(),
        teamId: teamIds,
        source: { valid: fc.constantFrom("portal", "api", "internal"), nearMiss: fc.constantFrom("email", "jira", "") },
      },
    });
    const counts = tally();
    await fc.assert(
      fc.asyncProperty(callers("agent", "customer", "anonymous"), bodies, async (caller, payload) =>
        counts.record(...(await probe("POST", "/api/v1/tickets", caller, payload))),
      ),
      { numRuns: RUNS, seed: 0x5b_0001 },
    );
    expect(counts.seen.success).toBeGreaterThan(RUNS / 20);
    expect(counts.seen.refusedDeeper).toBeGreaterThan(RUNS / 20);
  }, 60_000);

  it(`PATCH /api/v1/tickets/:id survives ${RUNS} random bodies`, async () => {
    const bodies = payloads({
      required: {},
      optional: {
        subject: textField(5, 200),
        status: statuses,
        priority: priorities,
        category: categories,
        assigneeId: ids(),
        teamId: teamIds,
        tags,
        customFields,
        isEscalated: booleans,
      },
    });
    const refs = fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(ticket.id, ticket.number) },
      { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 70 }).map(encodeURIComponent) },
    );
    const counts = tally();
    await fc.assert(
      fc.asyncProperty(callers("agent", "customer"), refs, bodies, async (caller, ref, payload) =>
        counts.record(...(await probe("PATCH", `/api/v1/tickets/${ref}`, caller, payload))),
      ),
      { numRuns: RUNS, seed: 0x5b_0002 },
    );
    expect(counts.seen.success).toBeGreaterThan(RUNS / 20);
    expect(counts.seen.refusedDeeper).toBeGreaterThan(RUNS / 20);
  }, 60_000);

  it(`POST /api/v1/tickets/:id/messages survives ${RUNS} random bodies`, async () => {
    const bodies = payloads({
      required: { body: textField(1, 400) },
      optional: {
        internal: booleans,
        attachmentIds: { valid: fc.constant([]), nearMiss: fc.array(fc.oneof(fc.uuid(), fc.constant(ticket.id)), { minLength: 1, maxLength: 7 }) },
      },
    });
    const counts = tally();
    await fc.assert(
      fc.asyncProperty(callers("agent", "customer"), bodies, async (caller, payload) =>
        counts.record(...(await probe("POST", `/api/v1/tickets/${ticket.id}/messages`, caller, payload))),
      ),
      { numRuns: RUNS, seed: 0x5b_0003 },
    );
    expect(counts.seen.success).toBeGreaterThan(RUNS / 20);
    expect(counts.seen.refusedDeeper).toBeGreaterThan(RUNS / 20);
  }, 60_000);
});
