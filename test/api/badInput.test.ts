import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { count, eq } from "drizzle-orm";
import type { LightMyRequestResponse } from "fastify";
import { attachments, authTokens, messages, ticketEvents, tickets } from "../../src/db/schema/index.js";
import { generateToken, hashToken } from "../../src/auth/tokens.js";
import { call, createTestContext, json, type TestContext } from "../helpers/testApp.js";
import { buildAgent, buildCustomer, buildTicket, type TestUser } from "../helpers/factories.js";

type Problem = { type: string; title: string; status: number; code: string; detail?: string; errors?: { field: string; message: string }[]; allowed?: string[] };

let ctx: TestContext;
let agent: TestUser;
let alice: TestUser;

beforeAll(async () => {
  ctx = await createTestContext();
  agent = await buildAgent(ctx);
  alice = await buildCustomer(ctx);
});
afterAll(() => ctx.close());

const validTicket = { subject: "Invoice PDF is blank", description: "The invoice PDF for March opens but every page is blank." };

async function rowCounts() {
  const n = async (table: typeof tickets | typeof messages | typeof ticketEvents | typeof attachments) =>
    (await ctx.db.select({ n: count() }).from(table))[0]!.n;
  return { tickets: await n(tickets), messages: await n(messages), ticketEvents: await n(ticketEvents), attachments: await n(attachments) };
}

/**
 * Sends a request that must be refused: checks status, problem+json and code, and that no
 * ticket, message, event or attachment row was written.
 */
async function expectRefused(status: number, code: string, send: () => Promise<LightMyRequestResponse>): Promise<Problem> {
  const before = await rowCounts();
  const res = await send();
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
  const problem = json<Problem>(res);
  expect(problem.code).toBe(code);
  expect(problem.status).toBe(status);
  expect(await rowCounts()).toEqual(before);
  return problem;
}

const raw = (method: "POST" | "PATCH", url: string, payload: string | Buffer, contentType: string, who: TestUser | null = agent) =>
  ctx.app.inject({
    method,
    url,
    payload,
    headers: { "content-type": contentType, ...(who ? { authorization: `Bearer ${who.token}` } : {}) },
  });

describe("malformed and mistyped bodies", () => {
  it("answers a truncated JSON body with 400 MALFORMED_JSON", async () => {
    await expectRefused(400, "MALFORMED_JSON", () => raw("POST", "/api/v1/tickets", '{"subject":', "application/json"));
    const t = await buildTicket(ctx, alice);
    await expectRefused(400, "MALFORMED_JSON", () => raw("PATCH", `/api/v1/tickets/${t.id}`, "{status: open}", "application/json"));
    await expectRefused(400, "MALFORMED_JSON", () => raw("POST", `/api/v1/tickets/${t.id}/messages`, "", "application/json"));
  });

  it("answers wrong types with 400 VALIDATION_FAILED naming the field", async () => {
    const problem = await expectRefused(400, "VALIDATION_FAILED", () => call(ctx, agent, "POST", "/api/v1/tickets", { ...validTicket, subject: 42 }));
    expect(problem.errors!.map((e) => e.field)).toEqual(["body.subject"]);

    const t = await buildTicket(ctx, alice);
    const patch = await expectRefused(400, "VALIDATION_FAILED", () => call(ctx, agent, "PATCH", `/api/v1/tickets/${t.id}`, { isEscalated: "yes", tags: "a,b" }));
    expect(patch.errors!.map((e) => e.field).sort()).toEqual(["body.isEscalated", "body.tags"]);
    const reply = await expectRefused(400, "VALIDATION_FAILED", () => call(ctx, agent, "POST", `/api/v1/tickets/${t.id}/messages`, { body: ["hi"] }));
    expect(reply.errors!.map((e) => e.field)).toEqual(["body.body"]);
  });

  it("rejects unknown fields instead of ignoring them", async () => {
    const problem = await expectRefused(400, "VALIDATION_FAILED", () =>
      call(ctx, agent, "POST", "/api/v1/tickets", { ...validTicket, requesterId: randomUUID() }),
    );
    expect(problem.detail).toContain("requesterId");
    const t = await buildTicket(ctx, alice);
    await expectRefused(400, "VALIDATION_FAILED", () => call(ctx, agent, "PATCH", `/api/v1/tickets/${t.id}`, { status: "in_progress", number: "SUP-00001" }));
    await expectRefused(400, "VALIDATION_FAILED", () => call(ctx, alice, "POST", `/api/v1/tickets/${t.id}/messages`, { body: "hello", authorId: agent.id }));
  });

  it("enforces subject 5–200 and description 20–10,000 characters, boundaries included", async () => {
    const tooShortOrLong = [
      { ...validTicket, subject: "x".repeat(4) },
      { ...validTicket, subject: "x".repeat(201) },
      { ...validTicket, description: "y".repeat(19) },
      { ...validTicket, description: "y".repeat(10_001) },
      // Whitespace does not count towards the minimum.
      { ...validTicket, subject: "  abc  " },
    ];
    for (const body of tooShortOrLong) {
      const problem = await expectRefused(400, "VALIDATION_FAILED", () => call(ctx, agent, "POST", "/api/v1/tickets", body));
      expect(problem.errors!.map((e) => e.field)).toEqual([body.subject === validTicket.subject ? "body.description" : "body.subject"]);
    }
    const boundaries = [
      { subject: "x".repeat(5), description: "y".repeat(20) },
      { subject: "x".repeat(200), description: "y".repeat(10_000) },
    ];
    for (const body of boundaries) {
      const res = await call(ctx, agent, "POST", "/api/v1/tickets", body);
      expect(res.statusCode, res.body).toBe(201);
      expect(json(res)).toMatchObject(body);
    }
  });
});

describe("text the database cannot store", () => {
  it("refuses NUL characters and unpaired surrogates with 400 naming the field", async () => {
    const t = await buildTicket(ctx, alice);
    const cases: [string, () => Promise<LightMyRequestResponse>][] = [
      ["body.subject", () => call(ctx, agent, "POST", "/api/v1/tickets", { ...validTicket, subject: "Printer\u0000 jammed" })],
      ["body.name", () => call(ctx, null, "POST", "/api/v1/tickets", { ...validTicket, email: "nul@example.test", name: "Nul\u0000" })],
      ["body.tags.1", () => call(ctx, agent, "PATCH", `/api/v1/tickets/${t.id}`, { tags: ["fine", "lone \ud800 surrogate"] })],
      ["body.customFields.nested", () => call(ctx, agent, "PATCH", `/api/v1/tickets/${t.id}`, { customFields: { nested: { "key\u0000": 1 } } })],
      ["body.body", () => call(ctx, alice, "POST", `/api/v1/tickets/${t.id}/messages`, { body: "hello\u0000" })],
      ["querystring.q", () => call(ctx, agent, "GET", "/api/v1/tickets?q=printer%00")],
      ["querystring.category", () => call(ctx, agent, "GET", "/api/v1/tickets?category=a%00")],
    ];
    for (const [field, send] of cases) {
      const problem = await expectRefused(400, "VALIDATION_FAILED", send);
      expect(problem.errors, field).toEqual([{ field, message: expect.stringContaining("NUL") }]);
    }
    // A surrogate pair (an emoji) is well-formed and goes through.
    const ok = await call(ctx, alice, "POST", `/api/v1/tickets/${t.id}/messages`, { body: "thanks 😀" });
    expect(ok.statusCode).toBe(201);
  });
});

describe("unknown things", () => {
  it("answers an unknown uuid, a garbage id and an unknown number with 404 NOT_FOUND", async () => {
    for (const ref of [randomUUID(), encodeURIComponent("../../etc"), "SUP-99999", "not-a-ticket"]) {
      await expectRefused(404, "NOT_FOUND", () => call(ctx, agent, "GET", `/api/v1/tickets/${ref}`));
      await expectRefused(404, "NOT_FOUND", () => call(ctx, agent, "PATCH", `/api/v1/tickets/${ref}`, { status: "in_progress" }));
      await expectRefused(404, "NOT_FOUND", () => call(ctx, agent, "POST", `/api/v1/tickets/${ref}/messages`, { body: "hello" }));
    }
    // Unencoded, the path no longer matches a route at all: still a 404 problem, never a file.
    await expectRefused(404, "NOT_FOUND", () => call(ctx, agent, "GET", "/api/v1/tickets/../../etc/passwd"));
  });

  it("answers an unknown route with a 404 problem", async () => {
    const problem = await expectRefused(404, "NOT_FOUND", () => call(ctx, agent, "GET", "/api/v1/nope"));
    expect(problem.detail).toContain("/api/v1/nope");
    await expectRefused(404, "NOT_FOUND", () => call(ctx, agent, "DELETE", "/api/v1/tickets"));
    // A stranger is asked to sign in first, so the answer does not reveal which routes exist.
    await expectRefused(401, "UNAUTHENTICATED", () => call(ctx, null, "GET", "/api/v1/nope"));
  });
});

describe("conflicts", () => {
  it("answers an illegal transition with 409 ILLEGAL_TRANSITION and the allowed moves", async () => {
    const t = await buildTicket(ctx, alice);
    expect((await call(ctx, agent, "PATCH", `/api/v1/tickets/${t.id}`, { status: "pending_approval" })).statusCode).toBe(200);
    const problem = await expectRefused(409, "ILLEGAL_TRANSITION", () => call(ctx, agent, "PATCH", `/api/v1/tickets/${t.id}`, { status: "resolved" }));
    expect(problem.allowed).toEqual(["in_progress", "blocked", "closed"]);
    const [row] = await ctx.db.select().from(tickets).where(eq(tickets.id, t.id));
    expect(row!.status).toBe("pending_approval");
  });

  it("refuses a reply to a closed ticket with 409", async () => {
    const t = await buildTicket(ctx, alice);
    expect((await call(ctx, agent, "PATCH", `/api/v1/tickets/${t.id}`, { status: "closed" })).statusCode).toBe(200);
    for (const who of [agent, alice]) {
      const problem = await expectRefused(409, "ILLEGAL_TRANSITION", () => call(ctx, who, "POST", `/api/v1/tickets/${t.id}/messages`, { body: "one more thing" }));
      expect(problem.allowed).toEqual(["open"]);
    }
  });

  it("refuses to merge a ticket into itself with 422", async () => {
    const t = await buildTicket(ctx, alice);
    await expectRefused(422, "UNPROCESSABLE", () => call(ctx, agent, "POST", `/api/v1/tickets/${t.id}/merge`, { into: t.id }));
    await expectRefused(422, "UNPROCESSABLE", () => call(ctx, agent, "POST", `/api/v1/tickets/${t.number}/merge`, { into: t.id }));
  });

  it("refuses to merge an already merged ticket with 409 ALREADY_MERGED", async () => {
    const source = await buildTicket(ctx, alice);
    const first = await buildTicket(ctx, alice);
    const second = await buildTicket(ctx, alice);
    expect((await call(ctx, agent, "POST", `/api/v1/tickets/${source.id}/merge`, { into: first.id })).statusCode).toBe(200);
    await expectRefused(409, "ALREADY_MERGED", () => call(ctx, agent, "POST", `/api/v1/tickets/${source.id}/merge`, { into: second.id }));
  });

  it("refuses a bulk update with an empty ids array with 400", async () => {
    const problem = await expectRefused(400, "VALIDATION_FAILED", () => call(ctx, agent, "POST", "/api/v1/tickets/bulk", { ids: [], changes: { priority: "high" } }));
    expect(problem.errors!.map((e) => e.field)).toEqual(["body.ids"]);
    const t = await buildTicket(ctx, alice);
    await expectRefused(400, "VALIDATION_FAILED", () => call(ctx, agent, "POST", "/api/v1/tickets/bulk", { ids: [t.id], changes: {} }));
  });
});

describe("transport", () => {
  it("answers a non-JSON content type on a JSON route with 415", async () => {
    const t = await buildTicket(ctx, alice);
    const xml = "<ticket><subject>Invoice PDF is blank</subject></ticket>";
    await expectRefused(415, "UNSUPPORTED_MEDIA_TYPE", () => raw("POST", "/api/v1/tickets", xml, "application/xml"));
    await expectRefused(415, "UNSUPPORTED_MEDIA_TYPE", () => raw("POST", "/api/v1/tickets", "subject=Invoice+PDF", "application/x-www-form-urlencoded"));
    await expectRefused(415, "UNSUPPORTED_MEDIA_TYPE", () => raw("POST", "/api/v1/tickets", JSON.stringify(validTicket), "text/plain"));
    await expectRefused(415, "UNSUPPORTED_MEDIA_TYPE", () => raw("PATCH", `/api/v1/tickets/${t.id}`, '{"status":"closed"}', "text/plain"));
    await expectRefused(415, "UNSUPPORTED_MEDIA_TYPE", () => raw("POST", `/api/v1/tickets/${t.id}/messages`, "hello", "text/plain"));
    const [row] = await ctx.db.select().from(tickets).where(eq(tickets.id, t.id));
    expect(row!.status).toBe("open");
  });

  it("answers a body over the 1 MB limit with 413", async () => {
    const body = JSON.stringify({ ...validTicket, description: "z".repeat(1024 * 1024) });
    await expectRefused(413, "PAYLOAD_TOO_LARGE", () => raw("POST", "/api/v1/tickets", body, "application/json"));
  });
});

describe("authentication", () => {
  const insertToken = async (user: TestUser, values: { expiresAt?: Date; revokedAt?: Date }) => {
    const token = generateToken("session");
    await ctx.db.insert(authTokens).values({ userId: user.id, kind: "session", tokenHash: hashToken(token), expiresAt: values.expiresAt ?? new Date(Date.now() + 3600_000), revokedAt: values.revokedAt ?? null });
    return token;
  };

  it("answers a request without a token with 401 UNAUTHENTICATED", async () => {
    await expectRefused(401, "UNAUTHENTICATED", () => call(ctx, null, "GET", "/api/v1/tickets"));
    const t = await buildTicket(ctx, alice);
    await expectRefused(401, "UNAUTHENTICATED", () => call(ctx, null, "PATCH", `/api/v1/tickets/${t.id}`, { status: "closed" }));
    await expectRefused(401, "UNAUTHENTICATED", () => call(ctx, null, "POST", `/api/v1/tickets/${t.id}/messages`, { body: "hello" }));
  });

  it("answers a bad, expired or revoked token with 401", async () => {
    const t = await buildTicket(ctx, alice);
    const expired = await insertToken(alice, { expiresAt: new Date(Date.now() - 1000) });
    const revoked = await insertToken(alice, { revokedAt: new Date() });
    const live = await insertToken(alice, {});
    for (const token of [generateToken("session"), "garbage", "x".repeat(500), expired, revoked]) {
      const problem = await expectRefused(401, "UNAUTHENTICATED", () => call(ctx, { token }, "POST", `/api/v1/tickets/${t.id}/messages`, { body: "hello" }));
      expect(problem.detail).toBe("the token is invalid or expired");
      await expectRefused(401, "UNAUTHENTICATED", () => ctx.app.inject({ method: "GET", url: `/api/v1/tickets/${t.id}`, cookies: { sb_session: token } }));
    }
    // The same request with a live token goes through, so the 401s above were about the token.
    expect((await call(ctx, { token: live }, "GET", `/api/v1/tickets/${t.id}`)).statusCode).toBe(200);
  });
});

describe("query parameters", () => {
  it("answers bad list parameters with 400", async () => {
    for (const query of ["limit=0", "limit=abc", "limit=201", "limit=1.5", "sort=bogus", "status=nope", "status=open,nope", "assignee=someone", "createdAfter=yesterday", "unknown=1"]) {
      const problem = await expectRefused(400, "VALIDATION_FAILED", () => call(ctx, agent, "GET", `/api/v1/tickets?${query}`));
      expect(problem.errors!.length, query).toBeGreaterThan(0);
      const field = query.split("=")[0]!;
      // status=nope names the bad element: querystring.status.0
      if (field !== "unknown") expect(problem.errors!.some((e) => e.field.startsWith(`querystring.${field}`)), query).toBe(true);
    }
  });

  it("answers garbage and forged cursors with 400, never a failed cast", async () => {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const cursors = [
      ["-created_at", "garbage"],
      ["-created_at", encode(["x", "not-a-uuid"])],
      ["-created_at", encode([1, 2, 3])],
      ["-created_at", encode(["2026-01-01 00:00:00+00", "-".repeat(36)])],
      ["-created_at", encode(["not a date", randomUUID()])],
      ["-created_at", encode(["2026-02-31 10:00:00+00", randomUUID()])],
      ["created_at", encode(["2026-01-01 25:00:00+00", randomUUID()])],
      ["-updated_at", encode(["2026-01-01 10:00:00+99", randomUUID()])],
      ["sla_due", encode(["yesterday", randomUUID()])],
      ["priority", encode(["bogus", randomUUID()])],
      // A cursor from one sort replayed against another.
      ["-priority", encode(["2026-01-01 10:00:00.123456+00", randomUUID()])],
    ];
    for (const [sort, cursor] of cursors) {
      const problem = await expectRefused(400, "BAD_REQUEST", () => call(ctx, agent, "GET", `/api/v1/tickets?sort=${sort}&cursor=${cursor}`));
      expect(problem, `${sort} ${cursor}`).toMatchObject({ field: "cursor" });
    }
  });

  it("accepts the cursors it hands out, for every sort, and visits each ticket once", async () => {
    for (const priority of ["low", "high", "urgent"] as const) await buildTicket(ctx, agent, { priority });
    // Some due dates, with microseconds, and some left empty (sorted last).
    const rows = await ctx.db.select({ id: tickets.id }).from(tickets);
    for (const [i, row] of rows.entries()) {
      if (i % 2 === 0) await ctx.db.update(tickets).set({ slaDueAt: new Date(Date.UTC(2026, 2, 1, 10, 0, i, 123)) }).where(eq(tickets.id, row.id));
    }
    const all = rows.map((r) => r.id).sort();
    for (const sort of ["created_at", "-created_at", "updated_at", "-updated_at", "priority", "-priority", "sla_due", "-sla_due"]) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await call(ctx, agent, "GET", `/api/v1/tickets?sort=${sort}&limit=4${cursor ? `&cursor=${cursor}` : ""}`);
        expect(res.statusCode, `${sort}: ${res.body}`).toBe(200);
        const page = json<{ items: { id: string }[]; nextCursor: string | null }>(res);
        seen.push(...page.items.map((t) => t.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen.slice().sort(), sort).toEqual(all);
    }
  });
});
