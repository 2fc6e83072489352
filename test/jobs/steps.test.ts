import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { jobSteps, organizations } from "../../src/db/schema/index.js";
import { defineJob } from "../../src/jobs/defineJob.js";
import { enqueue } from "../../src/jobs/enqueue.js";
import type { JobQueue } from "../../src/jobs/queue.js";
import { runStep } from "../../src/jobs/runStep.js";
import type { Workers } from "../../src/jobs/startWorkers.js";
import { buildAdmin } from "../helpers/factories.js";
import { call, createTestContext, json, type TestContext } from "../helpers/testApp.js";
import { jobsIn, sleep, startTestQueue, startTestWorkers, waitFor } from "./fixtures/jobTesting.js";

/** A stand-in for Jira: every create makes a new issue, as the real one does. */
const remote = { issues: [] as { key: string; marker: string }[], comments: [] as string[] };
/** Per payload key: the issue key each run of the handler saw, in order. */
const seen = new Map<string, string[]>();
const failAfterLink = new Set<string>();

/** Create the remote issue → store the link → post the link-back comment (STYLE.md point 8). */
const linkToJira = defineJob({
  name: "test.link-to-jira",
  payload: z.object({ key: z.string(), failures: z.number().int().default(0) }),
  retry: { retryLimit: 1, retryDelaySeconds: 1, retryDelayMaxSeconds: 1 },
  async handler({ key, failures }, ctx) {
    const issue = await ctx.step(
      "create-issue",
      async ({ idempotencyKey }) => {
        const created = { key: `JRA-${remote.issues.length + 1}`, marker: idempotencyKey };
        remote.issues.push(created);
        return { issueKey: created.key };
      },
      { isTransactional: false },
    );
    seen.set(key, [...(seen.get(key) ?? []), issue.issueKey]);
    // A local write in the step's transaction: the row and the step record commit together.
    await ctx.step("store-link", async ({ db }) => {
      await db.insert(organizations).values({ name: issue.issueKey, slug: `${key}-${issue.issueKey}`.toLowerCase() });
    });
    if (ctx.attempt <= failures || failAfterLink.has(key)) throw new Error("Jira answered 503 to the comment");
    await ctx.step("comment", async () => void remote.comments.push(`${key} linked to ${issue.issueKey}`), { isTransactional: false });
  },
});

describe("durable steps", () => {
  let ctx: TestContext;
  let queue: JobQueue;
  let workers: Workers;
  beforeAll(async () => {
    ctx = await createTestContext();
    queue = await startTestQueue(ctx.database, [linkToJira]);
    workers = await startTestWorkers(queue, [linkToJira]);
  });
  afterAll(async () => {
    await workers.stop();
    await queue.stop();
    await ctx.close();
  });

  const linksOf = (key: string) => ctx.db.select().from(organizations).then((rows) => rows.filter((r) => r.slug.startsWith(`${key}-`)));

  it("skips finished steps on a retry: the remote issue is created once and the link stored once", async () => {
    const id = await ctx.db.transaction((tx) => enqueue(tx, linkToJira, { key: "once", failures: 1 }));
    await waitFor("the retry to complete", async () => (await jobsIn(ctx.db, linkToJira.name)).find((j) => j.id === id && j.state === "completed"));
    const issues = remote.issues.filter((i) => i.marker.startsWith(`${id}:`));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.marker).toBe(`${id}:create-issue`);
    // Both runs got the same issue: the second from the step record.
    expect(seen.get("once")).toEqual([issues[0]!.key, issues[0]!.key]);
    expect(await linksOf("once")).toHaveLength(1);
    expect(remote.comments.filter((c) => c.startsWith("once "))).toHaveLength(1);
    const steps = await ctx.db.select().from(jobSteps).where(eq(jobSteps.jobId, id!));
    expect(steps.map((s) => s.stepKey).sort()).toEqual(["comment", "create-issue", "store-link"]);
    expect(steps.find((s) => s.stepKey === "create-issue")!.result).toEqual({ issueKey: issues[0]!.key });
  });

  it("keeps the steps across an admin's retry from the dead-letter queue (a new job id, the same root)", async () => {
    failAfterLink.add("dead");
    const id = await ctx.db.transaction((tx) => enqueue(tx, linkToJira, { key: "dead" }));
    const admin = await buildAdmin(ctx);
    const dead = await waitFor("the job to be dead-lettered", async () =>
      json<{ items: { id: string; payload: { key: string } }[] }>(await call(ctx, admin, "GET", "/api/v1/jobs?state=dead")).items.find((i) => i.payload.key === "dead"),
    );
    failAfterLink.delete("dead");
    expect((await call(ctx, admin, "POST", `/api/v1/jobs/${dead.id}/retry`)).statusCode).toBe(202);
    await waitFor("the redriven job to complete", async () => (await jobsIn(ctx.db, linkToJira.name)).find((j) => j.data.key === "dead" && j.id !== id && j.state === "completed"));
    expect(remote.issues.filter((i) => i.marker.startsWith(`${id}:`))).toHaveLength(1);
    expect(seen.get("dead")).toHaveLength(3);
    expect(new Set(seen.get("dead"))).toHaveProperty("size", 1);
    expect(await linksOf("dead")).toHaveLength(1);
  });

  it("rolls back a step's local writes with the step when the step fails, so the retry does them once", async () => {
    const jobId = randomUUID();
    const slug = `step-rollback-${jobId.slice(0, 8)}`;
    let runs = 0;
    const write = () =>
      runStep(ctx.db, jobId, "write", async ({ db }) => {
        runs += 1;
        await db.insert(organizations).values({ name: slug, slug });
        if (runs === 1) throw new Error("the remote refused, after the local write");
        return runs;
      });
    await expect(write()).rejects.toThrow("the remote refused");
    expect(await ctx.db.select().from(organizations).where(eq(organizations.slug, slug))).toHaveLength(0);
    expect(await ctx.db.select().from(jobSteps).where(eq(jobSteps.jobId, jobId))).toHaveLength(0);
    expect(await write()).toBe(2);
    expect(await write()).toBe(2);
    expect(runs).toBe(2);
    expect(await ctx.db.select().from(organizations).where(eq(organizations.slug, slug))).toHaveLength(1);
  });

  it("runs a step once when two runs of the same job race for it", async () => {
    const jobId = randomUUID();
    let runs = 0;
    const step = () =>
      runStep(ctx.db, jobId, "race", async () => {
        runs += 1;
        await sleep(200);
        return { run: runs };
      });
    const results = await Promise.all([step(), step(), step()]);
    expect(runs).toBe(1);
    expect(results).toEqual([{ run: 1 }, { run: 1 }, { run: 1 }]);
  });
});
