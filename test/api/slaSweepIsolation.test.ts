import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { slaClocks, slaPolicyVersions } from "../../src/db/schema/index.js";
import { runSlaSweep } from "../../src/commands/sla/runSlaSweep.js";
import { call, createTestContext, json, type TestContext } from "../helpers/testApp.js";
import { buildAdmin, buildCustomer, buildTicket } from "../helpers/factories.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

describe("SLA sweep isolation", () => {
  it("keeps escalating other tickets when one ticket cannot be processed, and retries that one later", async () => {
    const admin = await buildAdmin(ctx);
    const customer = await buildCustomer(ctx);
    const policy = await call(ctx, admin, "POST", "/api/v1/sla/policies", {
      name: "Broken on purpose",
      position: 0,
      conditions: { category: ["broken"] },
      targets: { first_response: { seconds: 60, timeMode: "business" } },
    });
    expect(policy.statusCode).toBe(201);
    const broken = await buildTicket(ctx, customer, { category: "broken" });
    const healthy = await buildTicket(ctx, customer);
    // A stored calendar the engine cannot read stands in for any per-ticket failure.
    await ctx.db
      .update(slaPolicyVersions)
      .set({ calendar: sql`'{"name":"x","timezone":"Mars/Olympus","week":{"mon":[["25:00","99:00"]]},"holidays":[]}'::jsonb` })
      .where(eq(slaPolicyVersions.policyId, json<{ id: string }>(policy).id));

    const later = new Date(Date.now() + 30 * 24 * 3600_000);
    const failures: string[] = [];
    const actions = await runSlaSweep(ctx.db, later, 500, { onError: (id) => failures.push(id) });
    expect(failures).toEqual([broken.id]);
    expect(actions.some((a) => a.ticketId === healthy.id && a.kind === "breach")).toBe(true);
    const [clock] = await ctx.db.select().from(slaClocks).where(eq(slaClocks.ticketId, broken.id));
    expect(clock!.nextCheckAt!.getTime()).toBeGreaterThan(later.getTime());
  });
});
