import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { tickets } from "../../src/db/schema/index.js";
import { scoped } from "../../src/policies/ticketScope.js";
import { maySeeTicket } from "../../src/realtime/maySeeTicket.js";
import { createTestContext, type TestContext } from "../helpers/testApp.js";
import { buildAdmin, buildAgent, buildCustomer, buildOrganization, buildTicket, type TestUser } from "../helpers/factories.js";

/*
 * The hub decides visibility in memory; the routes decide it in SQL (ticketScope). For every
 * kind of viewer and ticket the two must give the same answer.
 */

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

describe("maySeeTicket", () => {
  it("agrees with the SQL ticket scope for every viewer and ticket", async () => {
    const [orgX, orgY] = [await buildOrganization(ctx), await buildOrganization(ctx)];
    const people: Record<string, TestUser> = {
      admin: await buildAdmin(ctx),
      agent: await buildAgent(ctx),
      requesterInX: await buildCustomer(ctx, { organizationId: orgX.id }),
      managerOfX: await buildCustomer(ctx, { organizationId: orgX.id, isOrgManager: true }),
      colleagueInX: await buildCustomer(ctx, { organizationId: orgX.id }),
      managerOfY: await buildCustomer(ctx, { organizationId: orgY.id, isOrgManager: true }),
      managerWithoutOrg: await buildCustomer(ctx, { isOrgManager: true }),
      loner: await buildCustomer(ctx),
    };
    const filed = [
      await buildTicket(ctx, people.requesterInX!),
      await buildTicket(ctx, people.managerOfX!),
      await buildTicket(ctx, people.loner!),
      await buildTicket(ctx, people.managerWithoutOrg!),
    ];
    const verdicts: string[] = [];
    for (const [name, person] of Object.entries(people)) {
      for (const ticket of filed) {
        const inScope = (await ctx.db.select({ id: tickets.id }).from(tickets).where(scoped(person.actor, eq(tickets.id, ticket.id)))).length === 1;
        expect(maySeeTicket(person.actor, ticket), `${name} on ${ticket.number}`).toBe(inScope);
        verdicts.push(`${name}:${inScope}`);
      }
    }
    // Not vacuous: both answers occur, including an organization manager seeing a colleague's ticket.
    expect(verdicts).toContain("managerOfX:true");
    expect(verdicts).toContain("colleagueInX:false");
  });
});
