import { Readable } from "node:stream";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { eq, sql } from "drizzle-orm";
import type { LightMyRequestResponse } from "fastify";
import { addAttachment } from "../../src/commands/tickets/addAttachment.js";
import { createJiraJobs } from "../../src/connectors/jira/jobs/jiraJobs.js";
import { configureJira, jiraSettingsFrom } from "../../src/connectors/jira/jiraSettings.js";
import type { JiraMappingInput } from "../../src/connectors/jira/mapping.js";
import { connections, externalLinks, inboundEvents, notifications, ticketEvents } from "../../src/db/schema/index.js";
import type { Db } from "../../src/db/client.js";
import { JOBS_SCHEMA, type JobQueue } from "../../src/jobs/queue.js";
import { jobRegistry } from "../../src/jobs/jobRegistry.js";
import type { Workers } from "../../src/jobs/startWorkers.js";
import { AttachmentStore } from "../../src/storage/attachmentStore.js";
import { buildAdmin, buildAgent, buildCustomer, buildTicket, type TestUser } from "../helpers/factories.js";
import { call, createTestContext, json, type TestContext } from "../helpers/testApp.js";
import { rows, startTestQueue, startTestWorkers, waitFor } from "../jobs/fixtures/jobTesting.js";
import { startFakeJira, type FakeJira, type FakeJiraOptions } from "./fake/fakeJira.js";
import { expectCleanFake } from "./helpers.js";
import type { WebhookDelivery } from "./fake/webhooks.js";

export const WEBHOOK_SECRET = "jira-webhook-secret-0123456789";

export type LinkJson = { id: string; system: string; remoteId: string; remoteKey: string | null; remoteUrl: string | null; remoteStatus: string | null; lastSyncedAt: string | null; lastError: string | null; connectionStatus: string };

export type Harness = {
  ctx: TestContext;
  fake: FakeJira;
  queue: JobQueue;
  admin: TestUser;
  agent: TestUser;
  customer: TestUser;
  connectionId: () => Promise<string>;
  /** PUT /api/v1/connections/jira pointing at the fake. */
  connect(overrides?: Record<string, unknown>): Promise<LightMyRequestResponse>;
  ticket(overrides?: Parameters<typeof buildTicket>[2]): ReturnType<typeof buildTicket>;
  attach(ticketId: string, who: TestUser, filename: string, bytes: Buffer, isInternal?: boolean): Promise<void>;
  /** Escalates and waits for the link. */
  escalate(ticketId: string): Promise<LinkJson>;
  links(ticketId: string): Promise<LinkJson[]>;
  deliver(d: WebhookDelivery): Promise<LightMyRequestResponse>;
  /** Waits until no Jira job is queued, retrying or running, and no stored delivery waits for dispatch. */
  idle(timeoutMs?: number): Promise<void>;
  eventTypes(ticketId: string): Promise<string[]>;
  notificationsOf(userId: string): Promise<{ kind: string; title: string }[]>;
  storedEvents(): Promise<number>;
  close(): Promise<void>;
};

export function connectionBody(fake: FakeJira, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const c = fake.credentials;
  const auth = fake.deployment === "cloud" ? { kind: "api_token", email: c.email, apiToken: c.apiToken } : { kind: "pat", token: c.pat };
  return { deployment: fake.deployment, baseUrl: fake.url, auth, projectKey: "SUP", issueType: "Task", allowPrivateNetwork: true, timeoutMs: 5000, webhookSecret: WEBHOOK_SECRET, ...extra };
}

/**
 * A real app and database, the fake Jira, and a queue whose Jira jobs retry within a second or
 * two (same names and payloads as production), worked in this process.
 */
export async function startHarness(options: { deployment?: "cloud" | "datacenter"; fake?: Partial<FakeJiraOptions>; mapping?: JiraMappingInput; retryLimit?: number } = {}): Promise<Harness> {
  const fake = await startFakeJira({ deployment: options.deployment ?? "cloud", ...options.fake });
  const ctx = await createTestContext({ PUBLIC_URL: "https://desk.example.test" });
  configureJira(ctx.config);
  const jiraJobs = createJiraJobs({ retry: { retryLimit: options.retryLimit ?? 4, retryDelaySeconds: 1, retryDelayMaxSeconds: 2 }, settings: () => jiraSettingsFrom(ctx.config) });
  const names = new Set(jiraJobs.map((j) => j.name));
  // Not maintaining: no cron, so the five-minute reconcile never fires in the middle of a test.
  const queue = await startTestQueue(ctx.database, [...jobRegistry.filter((j) => !names.has(j.name)), ...jiraJobs], { isMaintaining: false });
  const workers: Workers = await startTestWorkers(queue, jiraJobs);
  const admin = await buildAdmin(ctx);
  const agent = await buildAgent(ctx, { name: "Aggie Agent" });
  const customer = await buildCustomer(ctx, { name: "Carla Customer", email: `carla-${Date.now()}@customer.example` });
  const store = new AttachmentStore(ctx.config.DATA_DIR);

  const h: Harness = {
    ctx,
    fake,
    queue,
    admin,
    agent,
    customer,
    connectionId: async () => (await ctx.db.select({ id: connections.id }).from(connections))[0]!.id,
    connect: (overrides = {}) => call(ctx, admin, "PUT", "/api/v1/connections/jira", connectionBody(fake, { ...(options.mapping ? { mapping: options.mapping } : {}), ...overrides })),
    ticket: (overrides = {}) => buildTicket(ctx, customer, overrides),
    async attach(ticketId, who, filename, bytes, isInternal = false) {
      const file = await store.receive(Readable.from([bytes]));
      await addAttachment({ db: ctx.db, store, actor: who.actor, ticketRef: ticketId, file, filename, isInternal });
    },
    async escalate(ticketId) {
      const res = await call(ctx, agent, "POST", `/api/v1/tickets/${ticketId}/jira`);
      if (res.statusCode !== 202) throw new Error(`escalate answered ${res.statusCode}: ${res.body}`);
      return waitFor("the escalation's link", async () => (await h.links(ticketId))[0], 30_000);
    },
    async links(ticketId) {
      const res = await call(ctx, agent, "GET", `/api/v1/tickets/${ticketId}/links`);
      if (res.statusCode !== 200) throw new Error(`links answered ${res.statusCode}: ${res.body}`);
      return json<{ items: LinkJson[] }>(res).items;
    },
    deliver: (d) => ctx.app.inject({ method: "POST", url: "/webhooks/jira", headers: d.headers, payload: d.body }),
    async idle(timeoutMs = 30_000) {
      await waitFor(
        "the Jira jobs to finish",
        async () =>
          (await rows<{ n: number }>(ctx.db, sql`select count(*)::int as n from ${sql.raw(JOBS_SCHEMA)}.job where name like 'jira.%' and state in ('created', 'retry', 'active')`))[0]!.n === 0 &&
          // Stored deliveries wait up to the dispatcher's window before their job exists.
          (await rows<{ n: number }>(ctx.db, sql`select count(*)::int as n from inbound_events where dispatched_at is null and processed_at is null`))[0]!.n === 0,
        timeoutMs,
      );
    },
    async eventTypes(ticketId) {
      return (await ctx.db.select({ type: ticketEvents.type }).from(ticketEvents).where(eq(ticketEvents.ticketId, ticketId)).orderBy(ticketEvents.id)).map((e) => e.type);
    },
    async notificationsOf(userId) {
      return ctx.db.select({ kind: notifications.kind, title: notifications.title }).from(notifications).where(eq(notifications.userId, userId));
    },
    async storedEvents() {
      return (await ctx.db.select({ n: sql<number>`count(*)::int` }).from(inboundEvents))[0]!.n;
    },
    async close() {
      await workers.stop();
      await queue.stop();
      await ctx.close();
      await fake.close();
    },
  };
  return h;
}

/** The ids of a ticket's links, straight from the table. */
export async function linkRows(db: Db, ticketId: string) {
  return db.select().from(externalLinks).where(eq(externalLinks.ticketId, ticketId));
}

/**
 * Registers, in the calling describe block, a harness connected with `options` for the whole
 * block: started and connected before the tests, idle and checked for unexpected fake-Jira calls
 * after each, closed after all. `onStart` hands the harness to the test file.
 */
export function useConnectedHarness(options: Parameters<typeof startHarness>[0], onStart: (h: Harness) => void): void {
  let h: Harness | undefined;
  beforeAll(async () => {
    h = await startHarness(options);
    onStart(h);
    expect((await h.connect()).statusCode).toBe(200);
  });
  afterAll(() => h?.close());
  afterEach(async () => {
    await h!.idle();
    expectCleanFake(h!.fake);
  });
}
