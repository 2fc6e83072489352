import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { organizations } from "../../src/db/schema/index.js";
import { defineJob, InvalidJobPayloadError } from "../../src/jobs/defineJob.js";
import { enqueue } from "../../src/jobs/enqueue.js";
import { currentQueue, type JobQueue } from "../../src/jobs/queue.js";
import type { Workers } from "../../src/jobs/startWorkers.js";
import { createTestContext, type TestContext } from "../helpers/testApp.js";
import { jobsIn, sleep, startTestQueue, startTestWorkers, waitFor } from "./fixtures/jobTesting.js";

const runs: { slug: string; attempt: number }[] = [];
const welcomeOrganization = defineJob({
  name: "test.welcome-organization",
  payload: z.object({ slug: z.string().min(1), note: z.string().default("hello") }),
  async handler({ slug }, { attempt }) {
    runs.push({ slug, attempt });
  },
});

/** A domain write and its job in one transaction, as a command does it. */
function createOrganizationWithJob(ctx: TestContext, slug: string, options: { isRolledBack: boolean }) {
  return ctx.db.transaction(async (tx) => {
    await tx.insert(organizations).values({ name: slug, slug });
    const id = await enqueue(tx, welcomeOrganization, { slug });
    if (options.isRolledBack) throw new Error("refused after the enqueue");
    return id;
  });
}

describe("the transactional outbox", () => {
  let ctx: TestContext;
  let queue: JobQueue;
  let workers: Workers;
  beforeAll(async () => {
    ctx = await createTestContext();
    queue = await startTestQueue(ctx.database, [welcomeOrganization]);
    workers = await startTestWorkers(queue, [welcomeOrganization]);
  });
  afterAll(async () => {
    await workers.stop();
    await queue.stop();
    await ctx.close();
  });

  it("becomes the process's queue, so commands can enqueue without passing it around", () => {
    expect(currentQueue()).toBe(queue);
  });

  it("leaves no job behind when the transaction rolls back", async () => {
    const slug = `rolled-back-${randomUUID().slice(0, 8)}`;
    await expect(createOrganizationWithJob(ctx, slug, { isRolledBack: true })).rejects.toThrow("refused after the enqueue");
    expect(await ctx.db.select().from(organizations).where(eq(organizations.slug, slug))).toHaveLength(0);
    expect((await jobsIn(ctx.db, welcomeOrganization.name)).filter((j) => j.data.slug === slug)).toHaveLength(0);
    await sleep(1500);
    expect(runs.filter((r) => r.slug === slug)).toHaveLength(0);
  });

  it("runs the job exactly once when the transaction commits", async () => {
    const slug = `committed-${randomUUID().slice(0, 8)}`;
    const id = await createOrganizationWithJob(ctx, slug, { isRolledBack: false });
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await waitFor("the job to complete", async () => (await jobsIn(ctx.db, welcomeOrganization.name)).find((j) => j.id === id && j.state === "completed"));
    await sleep(1000);
    expect(runs.filter((r) => r.slug === slug)).toEqual([{ slug, attempt: 1 }]);
    expect(await ctx.db.select().from(organizations).where(eq(organizations.slug, slug))).toHaveLength(1);
  });

  it("refuses a payload that does not match the job's schema, before anything is written", async () => {
    const slug = `bad-payload-${randomUUID().slice(0, 8)}`;
    const attempt = ctx.db.transaction(async (tx) => {
      await tx.insert(organizations).values({ name: slug, slug });
      // @ts-expect-error: the schema wants a non-empty slug string; a caller bug the types catch too.
      await enqueue(tx, welcomeOrganization, { slug: 42 });
    });
    await expect(attempt).rejects.toBeInstanceOf(InvalidJobPayloadError);
    await expect(attempt).rejects.toThrow(/test\.welcome-organization.*slug/);
    expect(await ctx.db.select().from(organizations).where(eq(organizations.slug, slug))).toHaveLength(0);
  });

  it("sends many jobs from one transaction and runs each once", async () => {
    const slugs = Array.from({ length: 40 }, (_, i) => `many-${i}-${randomUUID().slice(0, 6)}`);
    await ctx.db.transaction(async (tx) => {
      for (const slug of slugs) await enqueue(tx, welcomeOrganization, { slug });
    });
    await waitFor("all 40 jobs to run", async () => slugs.every((s) => runs.some((r) => r.slug === s)));
    await sleep(500);
    for (const slug of slugs) expect(runs.filter((r) => r.slug === slug)).toHaveLength(1);
  });
});
