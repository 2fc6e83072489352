import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, createTestContext, json, type TestContext } from "../helpers/testApp.js";
import { buildAgent, buildCustomer, buildTicket, type TestUser } from "../helpers/factories.js";

let ctx: TestContext;
let agent: TestUser;
let customer: TestUser;
let other: TestUser;

beforeAll(async () => {
  ctx = await createTestContext();
  agent = await buildAgent(ctx);
  customer = await buildCustomer(ctx);
  other = await buildCustomer(ctx);
});
afterAll(() => ctx.close());

type Page = { items: { id: string; number: string; createdAt: string; priority: string }[]; nextCursor: string | null };
const search = async (who: TestUser, q: string) =>
  json<Page>(await call(ctx, who, "GET", `/api/v1/tickets?q=${encodeURIComponent(q)}&limit=200`)).items.map((t) => t.id);

describe("full-text search", () => {
  it("finds words in the subject, the description and the messages, with stemming", async () => {
    const bySubject = await buildTicket(ctx, customer, { subject: "Kubernetes pods restarting" });
    const byDescription = await buildTicket(ctx, customer, { description: "Our warehouse scanner drops the barcode every few minutes." });
    const byMessage = await buildTicket(ctx, customer);
    await call(ctx, customer, "POST", `/api/v1/tickets/${byMessage.id}/messages`, { body: "The thermostat firmware is outdated." });

    expect(await search(agent, "kubernetes")).toEqual([bySubject.id]);
    expect(await search(agent, "barcodes")).toEqual([byDescription.id]);
    expect(await search(agent, "thermostat")).toEqual([byMessage.id]);
    expect(await search(agent, '"warehouse scanner"')).toEqual([byDescription.id]);
    expect(await search(agent, "warehouse -scanner")).toEqual([]);
  });

  it("matches internal notes for agents only, and never another customer's tickets", async () => {
    const t = await buildTicket(ctx, customer);
    await call(ctx, agent, "POST", `/api/v1/tickets/${t.id}/messages`, { body: "Escalate to the zeppelin team", internal: true });
    const theirs = await buildTicket(ctx, other, { subject: "Zeppelin booking broken" });
    expect((await search(agent, "zeppelin")).sort()).toEqual([t.id, theirs.id].sort());
    expect(await search(customer, "zeppelin")).toEqual([]);
    expect(await search(other, "zeppelin")).toEqual([theirs.id]);
  });

  it("combines search with filters", async () => {
    const high = await buildTicket(ctx, customer, { subject: "Quokka sync failure", priority: "high" });
    await buildTicket(ctx, customer, { subject: "Quokka sync failure again", priority: "low" });
    const res = json<Page>(await call(ctx, agent, "GET", "/api/v1/tickets?q=quokka&priority=high"));
    expect(res.items.map((t) => t.id)).toEqual([high.id]);
  });
});

describe("listing: sort and cursor pagination", () => {
  it("walks every ticket exactly once across pages, in order", async () => {
    const all: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url = `/api/v1/tickets?limit=7&sort=-created_at${cursor ? `&cursor=${cursor}` : ""}`;
      const page: Page = json<Page>(await call(ctx, agent, "GET", url));
      all.push(...page.items.map((t) => t.createdAt + "|" + t.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 100);
    const total = json<Page>(await call(ctx, agent, "GET", "/api/v1/tickets?limit=200")).items.length;
    expect(all).toHaveLength(total);
    expect(new Set(all).size).toBe(total);
    expect([...all].sort().reverse()).toEqual(all);
  });

  it("sorts by priority rank, not alphabetically", async () => {
    const page = json<Page>(await call(ctx, agent, "GET", "/api/v1/tickets?sort=-priority&limit=200"));
    const rank = { urgent: 3, high: 2, medium: 1, low: 0 } as Record<string, number>;
    const ranks = page.items.map((t) => rank[t.priority]!);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    expect(new Set(ranks).size).toBeGreaterThan(1);
  });

  it("filters by assignee me and unassigned", async () => {
    const mine = await buildTicket(ctx, customer);
    await call(ctx, agent, "PATCH", `/api/v1/tickets/${mine.id}`, { assigneeId: agent.id });
    const me = json<Page>(await call(ctx, agent, "GET", "/api/v1/tickets?assignee=me&limit=200")).items.map((t) => t.id);
    const unassigned = json<Page>(await call(ctx, agent, "GET", "/api/v1/tickets?assignee=unassigned&limit=200")).items.map((t) => t.id);
    expect(me).toEqual([mine.id]);
    expect(unassigned).not.toContain(mine.id);
    expect(unassigned.length).toBeGreaterThan(0);
  });
});
