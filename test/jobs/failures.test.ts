import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { defineJob, PermanentJobError } from "../../src/jobs/defineJob.js";
import { enqueue } from "../../src/jobs/enqueue.js";
import type { JobQueue } from "../../src/jobs/queue.js";
import type { Workers } from "../../src/jobs/startWorkers.js";
import { buildAdmin, buildAgent, type TestUser } from "../helpers/factories.js";
import { call, createTestContext, json, type TestContext } from "../helpers/testApp.js";
import { jobsIn, sleep, startTestQueue, startTestWorkers, waitFor } from "./fixtures/jobTesting.js";

/** Run times per payload key, in milliseconds since the epoch. */
const attempts = new Map<string, number[]>();
const record = (key: string) => attempts.set(key, [...(attempts.get(key) ?? []), Date.now()]).get(key)!.length;
/** Keys whose handler should now succeed (an SMTP server that came back). */
const healed = new Set<string>();

const ZMail = z.object({ key: z.string(), to: z.email(), failures: z.number().int().default(0), smtp: z.object({ user: z.string(), password: z.string() }).optional(), apiToken: z.string().optional() });

/** Fails its first `failures` runs, like a mail server that is down for a while. */
const flaky = defineJob({
  name: "test.flaky",
  payload: ZMail,
  retry: { retryLimit: 2, retryDelaySeconds: 1, retryDelayMaxSeconds: 30 },
  async handler({ key, failures }) {
    if (record(key) <= failures) throw new Error(`SMTP connection refused (${key})`);
  },
});

/** The same, but its backoff is capped at one second. */
const capped = defineJob({
  name: "test.capped",
  payload: ZMail,
  retry: { retryLimit: 3, retryDelaySeconds: 1, retryDelayMaxSeconds: 1 },
  async handler({ key, failures }) {
    if (record(key) <= failures) throw new Error("still down");
  },
});

/** Fails until its key is healed; one retry, then the dead-letter queue. */
const doomed = defineJob({
  name: "test.doomed",
  payload: ZMail,
  retry: { retryLimit: 1, retryDelaySeconds: 1, retryDelayMaxSeconds: 2 },
  async handler({ key }) {
    record(key);
    if (!healed.has(key)) throw new Error("554 5.7.1 relay access denied");
  },
});

const permanent = defineJob({
  name: "test.permanent",
  payload: ZMail,
  retry: { retryLimit: 5, retryDelaySeconds: 1 },
  async handler({ key }) {
    record(key);
    throw new PermanentJobError("the remote says this project does not exist");
  },
});

/** Fails once, then would wait a minute for its retry. */
const patient = defineJob({
  name: "test.patient",
  payload: ZMail,
  retry: { retryLimit: 1, retryDelaySeconds: 60, retryDelayMaxSeconds: 120 },
  async handler({ key, failures }) {
    if (record(key) <= failures) throw new Error("greylisted, try again later");
  },
});

const jobs = [flaky, capped, doomed, permanent, patient];
const gaps = (times: number[]) => times.slice(1).map((t, i) => (t - times[i]!) / 1000);
const mail = (key: string, extra: Partial<z.input<typeof ZMail>> = {}) => ({ key, to: "customer@example.test", ...extra });

type Item = { id: string; name: string; state: string; payload: Record<string, unknown>; lastError: string | null; attempts: number; deadLetteredAt: string | null; nextAttemptAt: string | null };

describe("failing jobs", () => {
  let ctx: TestContext;
  let queue: JobQueue;
  let workers: Workers;
  let admin: TestUser;
  const send = (job: (typeof jobs)[number], payload: z.input<typeof ZMail>) => ctx.db.transaction((tx) => enqueue(tx, job, payload));
  const failedJobs = async (query = "") => json<{ items: Item[]; nextCursor: string | null }>(await call(ctx, admin, "GET", `/api/v1/jobs${query}`));
  const listed = async (key: string, query = "") => (await failedJobs(query)).items.find((i) => i.payload.key === key);

  beforeAll(async () => {
    ctx = await createTestContext();
    queue = await startTestQueue(ctx.database, jobs);
    workers = await startTestWorkers(queue, jobs);
    admin = await buildAdmin(ctx);
  });
  afterAll(async () => {
    await workers.stop();
    await queue.stop();
    await ctx.close();
  });

  it("retries with exponential backoff, then succeeds", async () => {
    const id = await send(flaky, mail("flaky-1", { failures: 2 }));
    await waitFor("the third attempt to succeed", async () => (await jobsIn(ctx.db, flaky.name)).find((j) => j.id === id && j.state === "completed"));
    const [first, second] = gaps(attempts.get("flaky-1")!);
    // pg-boss waits retryDelay × 2^(n-1) plus up to as much again of jitter: [1, 2] s, then [2, 4] s.
    expect(first).toBeGreaterThanOrEqual(0.95);
    expect(first).toBeLessThan(2 + 1.5);
    expect(second).toBeGreaterThanOrEqual(1.95);
    expect(second).toBeLessThan(4 + 1.5);
    expect(attempts.get("flaky-1")).toHaveLength(3);
  });

  it("never waits longer than the policy's maximum delay", async () => {
    const id = await send(capped, mail("capped-1", { failures: 3 }));
    await waitFor("the fourth attempt to succeed", async () => (await jobsIn(ctx.db, capped.name)).find((j) => j.id === id && j.state === "completed"));
    // Uncapped, the third wait would be 4–8 s.
    for (const gap of gaps(attempts.get("capped-1")!)) expect(gap).toBeLessThan(1 + 1.5);
  });

  it("shows a job between attempts as retrying with its last error", async () => {
    await send(doomed, mail("doomed-visible"));
    const item = await waitFor("the job to wait for its retry", () => listed("doomed-visible", "?state=retrying"));
    expect(item).toMatchObject({ name: "test.doomed", state: "retrying", lastError: "554 5.7.1 relay access denied", attempts: 1, deadLetteredAt: null });
    expect(Date.parse(item.nextAttemptAt!)).toBeGreaterThan(Date.now() - 1000);
  });

  it("dead-letters a job that ran out of attempts; an admin sees it, with secrets redacted, and retries it", async () => {
    const key = "doomed-retried";
    await send(doomed, mail(key, { smtp: { user: "relay", password: "hunter2hunter2" }, apiToken: "tok_live_123" }));
    const item = await waitFor("the job to be dead-lettered", () => listed(key, "?state=dead"), 15_000);
    expect(item).toMatchObject({ name: "test.doomed", state: "dead", lastError: "554 5.7.1 relay access denied", attempts: 2, nextAttemptAt: null });
    expect(item.deadLetteredAt).not.toBeNull();
    expect(item.payload).toEqual({ key, to: "customer@example.test", smtp: { user: "relay", password: "[redacted]" }, apiToken: "[redacted]" });
    expect(attempts.get(key)).toHaveLength(2);
    await sleep(2500);
    expect(attempts.get(key)).toHaveLength(2);

    healed.add(key);
    const res = await call(ctx, admin, "POST", `/api/v1/jobs/${item.id}/retry`);
    expect(res.statusCode).toBe(202);
    expect(json(res)).toMatchObject({ id: item.id, state: "dead" });
    await waitFor("the retried job to complete", async () => (await jobsIn(ctx.db, doomed.name)).find((j) => j.data.key === key && j.state === "completed"));
    expect(attempts.get(key)).toHaveLength(3);
    expect(await listed(key)).toBeUndefined();
    // Gone from the dead-letter queue, not copied.
    expect((await jobsIn(ctx.db, doomed.deadLetter)).filter((j) => j.data.key === key)).toHaveLength(0);
  });

  it("discards a dead job and cancels a retrying one", async () => {
    await send(doomed, mail("doomed-discarded"));
    const dead = await waitFor("the job to be dead-lettered", () => listed("doomed-discarded", "?state=dead"), 15_000);
    const res = await call(ctx, admin, "POST", `/api/v1/jobs/${dead.id}/discard`);
    expect(res.statusCode).toBe(200);
    expect(await listed("doomed-discarded")).toBeUndefined();
    expect((await jobsIn(ctx.db, doomed.deadLetter)).filter((j) => j.data.key === "doomed-discarded")).toHaveLength(0);

    await send(flaky, mail("flaky-cancelled", { failures: 99 }));
    const retrying = await waitFor("the job to wait for its retry", () => listed("flaky-cancelled", "?state=retrying"));
    expect((await call(ctx, admin, "POST", `/api/v1/jobs/${retrying.id}/discard`)).statusCode).toBe(200);
    await sleep(3000);
    expect(attempts.get("flaky-cancelled")).toHaveLength(1);
    expect((await jobsIn(ctx.db, flaky.name)).find((j) => j.id === retrying.id)?.state).toBe("cancelled");
  });

  it("runs a retrying job now when an admin retries it, instead of at its backoff time", async () => {
    await send(patient, mail("patient-1", { failures: 1 }));
    const retrying = await waitFor("the job to wait for its retry", () => listed("patient-1", "?state=retrying"));
    expect(Date.parse(retrying.nextAttemptAt!) - Date.now()).toBeGreaterThan(30_000);
    const res = await call(ctx, admin, "POST", `/api/v1/jobs/${retrying.id}/retry`);
    expect(res.statusCode).toBe(202);
    expect(json(res)).toMatchObject({ id: retrying.id, state: "retrying" });
    await waitFor("the retry to complete", async () => (await jobsIn(ctx.db, patient.name)).find((j) => j.id === retrying.id && j.state === "completed"), 10_000);
    expect(attempts.get("patient-1")).toHaveLength(2);
  });

  it("dead-letters a payload that fails its schema at once, with the validation error, never running the handler", async () => {
    // Bypasses enqueue's check, as a job written by an older release with another schema would.
    const id = await queue.boss.send(flaky.name, { key: "bad-payload", to: "not an email" });
    const item = await waitFor("the job to be dead-lettered", () => listed("bad-payload", "?state=dead"));
    expect(item.attempts).toBe(1);
    expect(item.lastError).toMatch(/payload does not match the schema of job test\.flaky: to: Invalid email/);
    expect(attempts.get("bad-payload")).toBeUndefined();
    const [source] = (await jobsIn(ctx.db, flaky.name)).filter((j) => j.id === id);
    expect(source).toMatchObject({ state: "failed", retry_count: 0 });
    await sleep(2500);
    expect((await jobsIn(ctx.db, flaky.name)).filter((j) => j.data.key === "bad-payload")).toHaveLength(1);
  });

  it("dead-letters a job whose handler says retrying cannot help", async () => {
    await send(permanent, mail("permanent-1"));
    const item = await waitFor("the job to be dead-lettered", () => listed("permanent-1", "?state=dead"));
    expect(item).toMatchObject({ attempts: 1, lastError: "the remote says this project does not exist" });
    expect(attempts.get("permanent-1")).toHaveLength(1);
  });

  it("pages with a cursor, filters by name, and answers 404, 409, 403 and 400 where it should", async () => {
    const all = await failedJobs();
    expect(all.items.length).toBeGreaterThanOrEqual(2);
    const first = await failedJobs("?limit=1");
    expect(first.items).toEqual([all.items[0]]);
    const second = await failedJobs(`?limit=1&cursor=${first.nextCursor}`);
    expect(second.items).toEqual([all.items[1]]);
    const named = await failedJobs("?name=test.permanent");
    expect(named.items.map((i) => i.name)).toEqual(["test.permanent"]);
    expect((await failedJobs("?name=no.such.job")).items).toEqual([]);

    expect((await call(ctx, admin, "POST", `/api/v1/jobs/${randomUUID()}/retry`)).statusCode).toBe(404);
    const done = (await jobsIn(ctx.db, flaky.name)).find((j) => j.state === "completed")!;
    const conflict = await call(ctx, admin, "POST", `/api/v1/jobs/${done.id}/discard`);
    expect(conflict.statusCode).toBe(409);
    expect(conflict.headers["content-type"]).toContain("application/problem+json");
    const agent = await buildAgent(ctx);
    expect((await call(ctx, agent, "GET", "/api/v1/jobs")).statusCode).toBe(403);
    expect((await call(ctx, null, "GET", "/api/v1/jobs")).statusCode).toBe(401);
    expect((await call(ctx, admin, "GET", "/api/v1/jobs?state=lost")).statusCode).toBe(400);
  });
});
