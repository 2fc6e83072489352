import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replyToTicket } from "../../src/commands/tickets/replyToTicket.js";
import { outboundEmails } from "../../src/db/schema/index.js";
import { hasCurrentQueue } from "../../src/jobs/queue.js";
import { buildAgent, buildCustomer, buildTicket } from "../helpers/factories.js";
import { createTestContext, type TestContext } from "../helpers/testApp.js";

describe("commands in a process without a queue", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(async () => {
    await ctx.close();
  });

  it("file, reply to and resolve tickets without enqueueing mail (CLI and test paths have no queue)", async () => {
    expect(hasCurrentQueue()).toBe(false);
    const customer = await buildCustomer(ctx);
    const agent = await buildAgent(ctx);
    const t = await buildTicket(ctx, customer);
    await replyToTicket({ db: ctx.db, actor: agent.actor, ticketRef: t.id, body: "Done.", isInternal: false, channel: "api" });
    expect(await ctx.db.select().from(outboundEmails)).toHaveLength(0);
  });
});
