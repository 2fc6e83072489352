import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { slaPolicyVersions } from "../../src/db/schema/index.js";
import { call, createTestContext, json, type TestContext } from "../helpers/testApp.js";
import { buildAdmin, buildAgent, buildCustomer, buildTicket, type TestUser } from "../helpers/factories.js";
import { addSeconds, at, createPolicy, eventsOf, lastEventId, resync, stampEvents, stepAt, storedClocks } from "../helpers/sla.js";

/*
 * Policy versions: apply=new_tickets leaves open tickets where they are, apply=rebaseline_open
 * moves them to the new targets keeping the time used. The policy counts calendar time, so the
 * arithmetic is plain; the history sits at fixed instants (test/helpers/sla.ts).
 */

let ctx: TestContext;
let admin: TestUser;
let agent: TestUser;
let customer: TestUser;

beforeAll(async () => {
  ctx = await createTestContext();
  admin = await buildAdmin(ctx);
  agent = await buildAgent(ctx);
  customer = await buildCustomer(ctx);
});
afterAll(() => ctx.close());

const H = 3600;
const T0 = at("2026-03-09T09:00:00Z");

const definition = (category: string, resolutionSeconds: number) => ({
  name: `Versioned ${category}`,
  position: 0,
  conditions: { category: [category] },
  targets: { resolution: { seconds: resolutionSeconds, timeMode: "calendar" } },
});

async function versionId(policyId: string, version: number): Promise<string> {
  const [row] = await ctx.db
    .select({ id: slaPolicyVersions.id })
    .from(slaPolicyVersions)
    .where(and(eq(slaPolicyVersions.policyId, policyId), eq(slaPolicyVersions.version, version)));
  return row!.id;
}

async function edit(policyId: string, body: unknown, apply: "new_tickets" | "rebaseline_open") {
  const res = await call(ctx, admin, "PUT", `/api/v1/sla/policies/${policyId}?apply=${apply}`, body);
  expect(res.statusCode, res.body).toBe(200);
  return json<{ version: number; rebaselined: number }>(res);
}

/** A ticket in `category` created at T0, with its clocks as of `now`. */
async function ticketAtT0(category: string, now: Date) {
  const t = await buildTicket(ctx, customer, { category });
  await stampEvents(ctx, t.id, 0, T0);
  await resync(ctx, t.id, now);
  return t;
}

describe("policy versions", () => {
  it("new_tickets: an open ticket keeps its version and target, a new ticket gets the new one", async () => {
    const policy = await createPolicy(ctx, admin, definition("versions-a", 10 * H));
    const old = await ticketAtT0("versions-a", addSeconds(T0, 2 * H));
    expect((await storedClocks(ctx, old.id)).resolution).toMatchObject({ targetSeconds: 10 * H, consumedSeconds: 2 * H, policyVersionId: await versionId(policy.id, 1) });

    expect(await edit(policy.id, definition("versions-a", 20 * H), "new_tickets")).toMatchObject({ version: 2, rebaselined: 0 });
    // Even a fresh sync (any later change to the ticket) leaves it on version 1.
    await resync(ctx, old.id, addSeconds(T0, 2 * H));
    expect((await storedClocks(ctx, old.id)).resolution).toMatchObject({
      targetSeconds: 10 * H,
      consumedSeconds: 2 * H,
      dueAt: addSeconds(T0, 10 * H),
      policyVersionId: await versionId(policy.id, 1),
    });
    const fresh = await buildTicket(ctx, customer, { category: "versions-a" });
    expect((await storedClocks(ctx, fresh.id)).resolution).toMatchObject({ targetSeconds: 20 * H, policyVersionId: await versionId(policy.id, 2) });
  });

  it("rebaseline_open: open tickets move to the new target, keeping the time used", async () => {
    const policy = await createPolicy(ctx, admin, definition("versions-b", 10 * H));
    const old = await ticketAtT0("versions-b", addSeconds(T0, 2 * H));
    await edit(policy.id, definition("versions-b", 20 * H), "new_tickets");
    const newer = await buildTicket(ctx, customer, { category: "versions-b" });
    const resolved = await ticketAtT0("versions-b", addSeconds(T0, H));
    await stepAt(ctx, resolved.id, addSeconds(T0, H), async () => {
      expect((await call(ctx, agent, "PATCH", `/api/v1/tickets/${resolved.id}`, { status: "resolved" })).statusCode).toBe(200);
    });
    const before = (await storedClocks(ctx, old.id)).resolution!;

    const mark = await lastEventId(ctx, old.id);
    // Both open tickets move (one from version 1, one from 2); the resolved one does not.
    expect(await edit(policy.id, definition("versions-b", 5 * H), "rebaseline_open")).toMatchObject({ version: 3, rebaselined: 2 });
    const v3 = await versionId(policy.id, 3);
    expect((await storedClocks(ctx, old.id)).resolution).toMatchObject({ targetSeconds: 5 * H, policyVersionId: v3 });
    expect((await storedClocks(ctx, newer.id)).resolution).toMatchObject({ targetSeconds: 5 * H, policyVersionId: v3 });
    expect((await storedClocks(ctx, resolved.id)).resolution).toMatchObject({ targetSeconds: 20 * H, state: "met", policyVersionId: await versionId(policy.id, 2) });
    const applied = (await eventsOf(ctx, old.id)).filter((e) => e.id > mark);
    expect(applied.map((e) => e.type)).toEqual(["sla.policy_applied"]);
    expect(applied[0]!.toValue).toMatchObject({ versionId: v3, version: 3, reason: "rebaseline" });

    // Had the edit been made at T0 + 2 h: the 2 h used are kept and the due instant recomputed.
    await stampEvents(ctx, old.id, mark, addSeconds(T0, 2 * H));
    await resync(ctx, old.id, addSeconds(T0, 2 * H));
    const after = (await storedClocks(ctx, old.id)).resolution!;
    expect(after.consumedSeconds).toBe(before.consumedSeconds);
    expect(after).toMatchObject({ state: "running", consumedSeconds: 2 * H, targetSeconds: 5 * H, dueAt: addSeconds(T0, 5 * H), startedAt: T0, breachedAt: null });
    expect(before.dueAt).toEqual(addSeconds(T0, 10 * H));
  });

  it("rebaseline_open below the time already used breaches as of the edit, and the ticket keeps working", async () => {
    const policy = await createPolicy(ctx, admin, definition("versions-c", 10 * H));
    const t = await ticketAtT0("versions-c", addSeconds(T0, 3 * H));
    const mark = await lastEventId(ctx, t.id);
    await edit(policy.id, definition("versions-c", H), "rebaseline_open");
    await stampEvents(ctx, t.id, mark, addSeconds(T0, 3 * H));
    await resync(ctx, t.id, addSeconds(T0, 3 * H));
    expect((await storedClocks(ctx, t.id)).resolution).toMatchObject({
      state: "breached",
      consumedSeconds: 3 * H,
      targetSeconds: H,
      breachedAt: addSeconds(T0, 3 * H),
      dueAt: addSeconds(T0, 3 * H),
    });
    // Later changes still sync: the clock keeps counting, the breach instant stays.
    await stepAt(ctx, t.id, addSeconds(T0, 4 * H), async () => {
      expect((await call(ctx, customer, "POST", `/api/v1/tickets/${t.id}/messages`, { body: "Any news?" })).statusCode).toBe(201);
    });
    expect((await storedClocks(ctx, t.id)).resolution).toMatchObject({ state: "breached", consumedSeconds: 4 * H, breachedAt: addSeconds(T0, 3 * H) });
  });

  it("moves a ticket whose priority changes to the policy that now matches, keeping the time used", async () => {
    await createPolicy(ctx, admin, { ...definition("versions-d", 10 * H), name: "Versions D urgent", conditions: { category: ["versions-d"], priority: ["urgent"] }, targets: { resolution: { seconds: 3 * H, timeMode: "calendar" } } });
    await createPolicy(ctx, admin, { ...definition("versions-d", 10 * H), position: 1 });
    const t = await ticketAtT0("versions-d", addSeconds(T0, H));
    expect((await storedClocks(ctx, t.id)).resolution).toMatchObject({ targetSeconds: 10 * H, consumedSeconds: H });
    await stepAt(ctx, t.id, addSeconds(T0, H), async () => {
      expect((await call(ctx, agent, "PATCH", `/api/v1/tickets/${t.id}`, { priority: "urgent" })).statusCode).toBe(200);
    });
    expect((await storedClocks(ctx, t.id)).resolution).toMatchObject({ targetSeconds: 3 * H, consumedSeconds: H, dueAt: addSeconds(T0, 3 * H), startedAt: T0 });
  });
});
