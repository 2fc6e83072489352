import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { backfillCustomerLinks } from "../../src/commands/jira/backfillCustomerLinks.js";
import { checkStatusLimits } from "../../src/commands/jira/checkStatusLimits.js";
import { jiraSettingsFrom } from "../../src/connectors/jira/jiraSettings.js";
import { openJiraRuntime } from "../../src/connectors/jira/runtime.js";
import { followExternal } from "../../src/commands/subscriptions/follow.js";
import { findConnectionById } from "../../src/db/repositories/connections.js";
import { customerLinks, jiraIssueRequests, slaClocks } from "../../src/db/schema/index.js";
import type { FakeIssue } from "./fake/state.js";
import { buildAgent, buildCustomer, buildTicket } from "../helpers/factories.js";
import { call, json } from "../helpers/testApp.js";
import { waitFor } from "../jobs/fixtures/jobTesting.js";
import { useConnectedHarness, WEBHOOK_SECRET, type Harness } from "./syncHarness.js";

type Org = { id: string; slug: string; ownerId: string | null };
type IssueItem = { key: string; status: string; statusCategory: string; priority: string; assignee: string | null; createdAt: string; linkType: string; strategy: string; timeInStatusSeconds: number; components: string[] };

const statusItem = (from: string, fromName: string, to: string, toName: string) => ({ field: "status", fieldtype: "jira", fieldId: "status", from, fromString: fromName, to, toString: toName });

describe("Jira issues linked to customers (the CSM requirements)", () => {
  let h: Harness;
  const secret = { secret: WEBHOOK_SECRET };
  useConnectedHarness({}, (started) => (h = started));

  let n = 0;
  async function org(name: string, csm?: { id: string }): Promise<Org> {
    n += 1;
    const res = await call(h.ctx, h.admin, "POST", "/api/v1/organizations", { name: `${name} ${n}`, slug: `${name.toLowerCase()}-${n}` });
    expect(res.statusCode, res.body).toBe(201);
    const made = json<Org>(res);
    if (!csm) return made;
    const patched = await call(h.ctx, h.admin, "PATCH", `/api/v1/organizations/${made.id}`, { ownerId: csm.id });
    expect(patched.statusCode, patched.body).toBe(200);
    return json<Org>(patched);
  }
  function issue(summary: string, init: { labels?: string[]; components?: string[]; custom?: Record<string, unknown>; priorityId?: string } = {}): FakeIssue {
    return h.fake.state.plainIssue(summary, { components: [], ...init });
  }
  async function sync(o: Org) {
    const res = await call(h.ctx, h.agent, "POST", `/api/v1/organizations/${o.id}/jira-issues/sync`);
    expect(res.statusCode, res.body).toBe(200);
    return json<{ issues: number; added: number; linked: number; unlinked: number; jql: string }>(res);
  }
  async function issuesOf(o: Org, query = "") {
    const res = await call(h.ctx, h.agent, "GET", `/api/v1/organizations/${o.id}/jira-issues${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return json<{ items: IssueItem[]; jql: string }>(res).items;
  }
  function moveTo(i: FakeIssue, statusId: string) {
    const from = h.fake.state.status(i.statusId)!;
    const to = h.fake.state.status(statusId)!;
    i.statusId = statusId;
    h.fake.state.touch(i);
    return statusItem(from.id, from.name, to.id, to.name);
  }
  const noticesOf = async (userId: string) => (await h.notificationsOf(userId)).filter((x) => x.kind.startsWith("jira."));

  it("finds an organization's issues by its label, with status, priority, dates and type, and unlinks one whose label is removed", async () => {
    const acme = await org("Acme");
    const a = issue("Export times out", { labels: [`customer_${acme.slug}`], priorityId: "2" });
    const b = issue("Login loop", { labels: [`customer_${acme.slug}`, "frontend"] });
    issue("Someone else's bug", { labels: ["customer_other"] });
    const first = await sync(acme);
    expect(first).toMatchObject({ issues: 2, added: 2, linked: 2, unlinked: 0, jql: `labels = "customer_${acme.slug}" ORDER BY key ASC` });
    const items = await issuesOf(acme);
    expect(items.map((i) => i.key).sort()).toEqual([a.key, b.key].sort());
    const exported = items.find((i) => i.key === a.key)!;
    expect(exported).toMatchObject({ status: "To Do", statusCategory: "new", priority: "High", linkType: "affected", strategy: "label" });
    expect(Date.parse(exported.createdAt)).toBe(a.created.getTime());

    b.labels = ["frontend"];
    h.fake.state.touch(b);
    expect(await sync(acme)).toMatchObject({ issues: 1, added: 0, linked: 0, unlinked: 1 });
    expect((await issuesOf(acme)).map((i) => i.key)).toEqual([a.key]);
  });

  it("links by component, by a custom field and by a saved JQL; one issue may affect several customers", async () => {
    const billing = await org("Billing");
    const globex = await org("Globex");
    const initech = await org("Initech");
    const viaComponent = await call(h.ctx, h.admin, "PATCH", `/api/v1/organizations/${billing.id}`, { jiraMatch: { strategy: "component", value: "Invoices" } });
    expect(viaComponent.statusCode, viaComponent.body).toBe(200);
    expect((await call(h.ctx, h.admin, "PATCH", `/api/v1/organizations/${globex.id}`, { jiraMatch: { strategy: "custom_field", value: "GLX-7" } })).statusCode).toBe(200);
    expect((await call(h.ctx, h.admin, "PATCH", `/api/v1/organizations/${initech.id}`, { jiraMatch: { strategy: "jql", value: 'summary ~ "TPS report" ORDER BY created DESC' } })).statusCode).toBe(200);
    const settings = await call(h.ctx, h.admin, "PUT", "/api/v1/connections/jira/customers", { strategy: "label", customField: "customfield_10001" });
    expect(settings.statusCode, settings.body).toBe(200);

    const shared = issue("TPS report cover sheet missing on invoices", { components: ["Invoices"], custom: { customfield_10001: "GLX-7" } });
    const onlyInitech = issue("TPS report totals are wrong");
    expect(await sync(billing)).toMatchObject({ issues: 1, jql: 'component = "Invoices" ORDER BY key ASC' });
    expect(await sync(globex)).toMatchObject({ issues: 1, jql: 'cf[10001] = "GLX-7" ORDER BY key ASC' });
    expect(await sync(initech)).toMatchObject({ issues: 2, jql: '(summary ~ "TPS report") ORDER BY key ASC' });
    expect((await issuesOf(billing))[0]).toMatchObject({ key: shared.key, components: ["Invoices"], strategy: "component" });
    expect((await issuesOf(initech)).map((i) => i.key).sort()).toEqual([shared.key, onlyInitech.key].sort());

    const res = await call(h.ctx, h.agent, "GET", `/api/v1/jira/issues/${shared.key}/affected-customers`);
    expect(res.statusCode, res.body).toBe(200);
    const affected = json<{ customers: { organization: { id: string } }[]; impact: { customers: number; score: number } }>(res);
    expect(affected.customers.map((c) => c.organization.id).sort()).toEqual([billing.id, globex.id, initech.id].sort());
    expect(affected.impact).toMatchObject({ customers: 3, score: 15 });
  });

  it("scores impact from customers, their linked open tickets' priorities and SLA exposure", async () => {
    const acme = await org("Impact");
    const i = issue("Data loss on save", { labels: [`customer_${acme.slug}`] });
    await sync(acme);
    const requester = await buildCustomer(h.ctx, { organizationId: acme.id });
    const urgent = await buildTicket(h.ctx, requester, { subject: "We lost a day of work", priority: "high" });
    const low = await buildTicket(h.ctx, requester, { subject: "Saving feels slow today", priority: "low" });
    const other = await org("Umbrella");
    const elsewhere = await buildTicket(h.ctx, await buildCustomer(h.ctx, { organizationId: other.id }), { subject: "Our saves vanish too", priority: "medium" });
    for (const t of [urgent, low, elsewhere]) expect((await call(h.ctx, h.agent, "POST", `/api/v1/tickets/${t.id}/jira/link`, { key: i.key })).statusCode).toBe(201);
    // The high ticket's first-response clock passed its 75% warning; the low one's is past due.
    await h.ctx.db.update(slaClocks).set({ warnedAt: { "75": new Date().toISOString() } }).where(eq(slaClocks.ticketId, urgent.id));
    await h.ctx.db.update(slaClocks).set({ breachedAt: new Date() }).where(eq(slaClocks.ticketId, low.id));

    const res = await call(h.ctx, h.agent, "GET", `/api/v1/jira/issues/${i.key.toLowerCase()}/affected-customers`);
    expect(res.statusCode, res.body).toBe(200);
    const body = json<{ customers: { organization: { id: string }; openTickets: { number: string; sla: string }[] }[]; tickets: unknown[]; impact: Record<string, unknown> }>(res);
    const acmeEntry = body.customers.find((c) => c.organization.id === acme.id)!;
    expect(acmeEntry.openTickets.map((t) => [t.number, t.sla]).sort()).toEqual([[urgent.number, "at_risk"], [low.number, "breached"]].sort());
    expect(body.tickets).toHaveLength(3);
    // Acme is linked; Umbrella is reached through its linked ticket: 2 × 5, tickets high 4 + low 1 + medium 2, at risk 3, breached 6.
    expect(body.customers.map((c) => c.organization.id).sort()).toEqual([acme.id, other.id].sort());
    expect(body.impact).toMatchObject({
      customers: 2,
      openTickets: 3,
      byPriority: { low: 1, medium: 1, high: 1, urgent: 0 },
      slaAtRisk: 1,
      slaBreached: 1,
      score: 10 + 4 + 1 + 2 + 3 + 6,
      severity: "high",
    });
  });

  it("tells the CSM when a linked issue moves to development, changes priority or is resolved; key followers hear too", async () => {
    const csm = await buildAgent(h.ctx, { name: "Casey CSM" });
    const follower = await buildAgent(h.ctx, { name: "Fran Follower" });
    const acme = await org("Notify", csm);
    const i = issue("Reports are blank", { labels: [`customer_${acme.slug}`] });
    await sync(acme);
    await followExternal(h.ctx.db, follower.id, "jira", i.key, "resolved");
    expect(await noticesOf(csm.id)).toEqual([]);

    expect((await h.deliver(h.fake.issueUpdatedDelivery(i.key, [moveTo(i, "3")], secret))).statusCode).toBe(202);
    await h.idle();
    i.priorityId = "1";
    h.fake.state.touch(i);
    expect((await h.deliver(h.fake.issueUpdatedDelivery(i.key, [{ field: "priority", fieldtype: "jira", from: "3", fromString: "Medium", to: "1", toString: "Highest" }], secret))).statusCode).toBe(202);
    await h.idle();
    const done = h.fake.issueUpdatedDelivery(i.key, [moveTo(i, "10001")], secret);
    expect((await h.deliver(done)).statusCode).toBe(202);
    await h.idle();
    // A redelivery changes nothing and tells nobody again.
    expect((await h.deliver(done)).statusCode).toBe(202);
    await h.idle();

    expect((await noticesOf(csm.id)).map((x) => [x.kind, x.title])).toEqual([
      ["jira.customer_issue_in_development", `${i.key} moved to development (In Progress)`],
      ["jira.customer_issue_priority", `${i.key} priority changed from Medium to Highest`],
      ["jira.customer_issue_resolved", `${i.key} is resolved (Done)`],
    ]);
    expect((await noticesOf(follower.id)).map((x) => x.kind)).toEqual(["jira.issue_resolved"]);
  });

  it("links a new issue whose webhook carries a customer's label, without waiting for the sync", async () => {
    const acme = await org("Hooked");
    const i = issue("Webhook-born bug");
    expect(await issuesOf(acme)).toEqual([]);
    i.labels = [`customer_${acme.slug}`];
    h.fake.state.touch(i);
    expect((await h.deliver(h.fake.issueUpdatedDelivery(i.key, [{ field: "labels", fieldtype: "jira", from: null, fromString: "", to: null, toString: i.labels[0] }], secret))).statusCode).toBe(202);
    await h.idle();
    expect((await issuesOf(acme)).map((x) => x.key)).toEqual([i.key]);
  });

  it("tracks time in status and alerts the CSM once per stay when a status's limit is passed", async () => {
    const csm = await buildAgent(h.ctx);
    const acme = await org("Clock", csm);
    const settings = await call(h.ctx, h.admin, "PUT", "/api/v1/connections/jira/customers", { statusLimits: [{ category: "indeterminate", hours: 48 }, { statusId: "10000", hours: 1000 }] });
    expect(settings.statusCode, settings.body).toBe(200);
    const i = issue("Stuck in progress", { labels: [`customer_${acme.slug}`] });
    await sync(acme);
    expect((await h.deliver(h.fake.issueUpdatedDelivery(i.key, [moveTo(i, "3")], secret))).statusCode).toBe(202);
    await h.idle();
    const row = (await findConnectionById(h.ctx.db, await h.connectionId()))!;
    const inProgressAt = i.updated.getTime();

    expect((await checkStatusLimits(h.ctx.db, row, new Date(inProgressAt + 47 * 3600_000))).alerted).toEqual([]);
    expect((await checkStatusLimits(h.ctx.db, row, new Date(inProgressAt + 49 * 3600_000))).alerted).toEqual([i.key]);
    expect((await checkStatusLimits(h.ctx.db, row, new Date(inProgressAt + 60 * 3600_000))).alerted).toEqual([]);
    const alerts = (await noticesOf(csm.id)).filter((x) => x.kind === "jira.status_limit_exceeded");
    expect(alerts.map((x) => x.title)).toEqual([`${i.key} has been In Progress for 49 h (limit 2 days)`]);

    // A new status re-arms the clock; the history adds up per status.
    expect((await h.deliver(h.fake.issueUpdatedDelivery(i.key, [moveTo(i, "10002")], secret))).statusCode).toBe(202);
    await h.idle();
    const detail = await call(h.ctx, h.agent, "GET", `/api/v1/jira/issues/${i.key}`);
    expect(detail.statusCode, detail.body).toBe(200);
    const body = json<{ status: string; history: { status: string; leftAt: string | null }[]; timeInStatus: { status: string; visits: number }[]; customers: { id: string }[] }>(detail);
    expect(body.status).toBe("Waiting for customer");
    expect(body.history.map((p) => [p.status, p.leftAt === null])).toEqual([["To Do", false], ["In Progress", false], ["Waiting for customer", true]]);
    expect(body.timeInStatus.map((t) => t.status)).toEqual(["To Do", "In Progress", "Waiting for customer"]);
    expect(body.customers.map((c) => c.id)).toEqual([acme.id]);
  });

  it("creates an issue from a customer context only after an admin approves, links the customer and tickets, and never twice", async () => {
    const csm = await buildAgent(h.ctx);
    const acme = await org("Request", csm);
    const contact = await buildCustomer(h.ctx, { organizationId: acme.id, name: "Pat Contact", email: `pat-${Date.now()}@acme.example` });
    const ticket = await buildTicket(h.ctx, contact, { subject: "Bulk export is missing columns", priority: "high" });
    const draft = await call(h.ctx, csm, "GET", `/api/v1/jira/issues/draft?organizationId=${acme.id}`);
    expect(draft.statusCode, draft.body).toBe(200);
    expect(json(draft)).toMatchObject({ csm: { id: csm.id }, contacts: [{ name: "Pat Contact" }], openTickets: [{ id: ticket.id }] });

    const issuesBefore = h.fake.state.issues.length;
    const asked = await call(h.ctx, csm, "POST", "/api/v1/jira/issues", { organizationId: acme.id, summary: "Add the missing export columns", description: "Acme needs these for month-end.", ticketIds: [ticket.id] });
    expect(asked.statusCode, asked.body).toBe(202);
    const request = json<{ id: string; status: string }>(asked);
    expect(request.status).toBe("pending");
    expect((await h.notificationsOf(h.admin.id)).map((x) => x.kind)).toContain("jira.issue_request_pending");
    await h.idle();
    expect(h.fake.state.issues.length).toBe(issuesBefore);

    expect((await call(h.ctx, csm, "POST", `/api/v1/jira/issue-requests/${request.id}/approve`, {})).statusCode).toBe(403);
    expect((await call(h.ctx, h.admin, "POST", `/api/v1/jira/issue-requests/${request.id}/reject`, {})).statusCode).toBe(422);
    const approved = await call(h.ctx, h.admin, "POST", `/api/v1/jira/issue-requests/${request.id}/approve`, { note: "Go ahead" });
    expect(approved.statusCode, approved.body).toBe(200);
    const again = await call(h.ctx, h.admin, "POST", `/api/v1/jira/issue-requests/${request.id}/approve`, {});
    expect(again.statusCode, again.body).toBe(409);
    await h.idle();

    const [row] = await h.ctx.db.select().from(jiraIssueRequests).where(eq(jiraIssueRequests.id, request.id));
    expect(row).toMatchObject({ status: "created" });
    expect(h.fake.state.issues.length).toBe(issuesBefore + 1);
    const created = h.fake.state.findIssue(row!.remoteKey!)!;
    expect(created.summary).toBe("Add the missing export columns");
    expect(created.labels).toContain(`customer_${acme.slug}`);
    // The customer's context goes as the organization and ticket numbers, never contact details.
    const description = JSON.stringify(created.description);
    expect(description).toContain(ticket.number);
    expect(description).not.toContain("Pat Contact");
    expect(description).not.toContain(contact.email);
    const links = await h.ctx.db.select().from(customerLinks).where(eq(customerLinks.remoteId, created.id));
    expect(links.map((l) => [l.organizationId, l.linkType])).toEqual([[acme.id, "requested"]]);
    await waitFor("the ticket's link", async () => (await h.links(ticket.id)).some((l) => l.remoteKey === created.key));
    expect((await noticesOf(csm.id)).map((x) => x.kind)).toEqual(expect.arrayContaining(["jira.issue_request_approved", "jira.issue_request_created"]));
    // A sync by label keeps it, and does not unlink the request's link.
    expect(await sync(acme)).toMatchObject({ issues: 1, unlinked: 0 });
  });

  it("backfills every organization's links, and resumes after an interruption where it stopped", async () => {
    const first = await org("Backfill");
    const second = await org("Backfill");
    const a = issue("Backfill one", { labels: [`customer_${first.slug}`] });
    const b = issue("Backfill two", { labels: [`customer_${second.slug}`] });
    const rt = async () => openJiraRuntime(h.ctx.db, (await findConnectionById(h.ctx.db, await h.connectionId()))!, { secretKey: jiraSettingsFrom(h.ctx.config).secretKey });
    let calls = 0;
    await expect(
      backfillCustomerLinks(h.ctx.db, await rt(), {
        onProgress: () => {
          calls += 1;
          if (calls === 2) throw new Error("interrupted");
        },
      }),
    ).rejects.toThrow("interrupted");
    const resumed = await backfillCustomerLinks(h.ctx.db, await rt(), {});
    expect(resumed.resumed).toBe(true);
    // The resumed run starts after the last organization it finished, not from the beginning.
    const orgCount = (await call(h.ctx, h.agent, "GET", "/api/v1/organizations").then((r) => json<{ items: unknown[] }>(r))).items.length;
    expect(resumed.processed).toBe(orgCount);
    // Globex (earlier test) matches by a custom field the settings no longer name: skipped, in words, and the rest go on.
    const again = await backfillCustomerLinks(h.ctx.db, await rt(), { restart: true });
    expect(again).toMatchObject({ resumed: false, processed: orgCount });
    expect(again.skipped).toEqual([expect.stringMatching(/^Globex \d+: the organization's Jira match cannot be searched/)]);
    expect((await issuesOf(first)).map((x) => x.key)).toEqual([a.key]);
    expect((await issuesOf(second)).map((x) => x.key)).toEqual([b.key]);

    // A JQL backfill links what the fields say, and leaves no resume point behind.
    const c = issue("Backfill three", { labels: [`customer_${first.slug}`, "from-jql"] });
    const byJql = await backfillCustomerLinks(h.ctx.db, await rt(), { jql: 'labels = "from-jql"' });
    expect(byJql).toMatchObject({ resumed: false, processed: 1, linked: 1, skipped: [] });
    expect((await issuesOf(first)).map((x) => x.key).sort()).toEqual([a.key, c.key].sort());
    expect((await findConnectionById(h.ctx.db, await h.connectionId()))!.settings.backfill).toBeUndefined();
  });

  it("an admin's Sync now runs the customer sync at once; agents may not", async () => {
    const acme = await org("SyncNow");
    const i = issue("Found by sync now", { labels: [`customer_${acme.slug}`] });
    expect((await call(h.ctx, h.agent, "POST", "/api/v1/connections/jira/sync")).statusCode).toBe(403);
    const res = await call(h.ctx, h.admin, "POST", "/api/v1/connections/jira/sync");
    expect(res.statusCode, res.body).toBe(202);
    expect(json(res)).toEqual({ jobs: ["jira.reconcile", "jira.sync-customers"] });
    await h.idle();
    expect((await issuesOf(acme)).map((x) => x.key)).toEqual([i.key]);
  });

  it("refuses bad input in words: unknown organizations and keys, a strategy without its field, a customer as CSM, other people's requests", async () => {
    const acme = await org("Bad");
    const ghost = "00000000-0000-4000-8000-000000000000";
    expect((await call(h.ctx, h.agent, "GET", `/api/v1/organizations/${ghost}/jira-issues`)).statusCode).toBe(404);
    expect((await call(h.ctx, h.agent, "GET", "/api/v1/jira/issues/not-a-key/affected-customers")).statusCode).toBe(400);
    expect((await call(h.ctx, h.agent, "GET", "/api/v1/jira/issues/SUP-99999/affected-customers")).statusCode).toBe(404);
    const noField = await call(h.ctx, h.admin, "PUT", "/api/v1/connections/jira/customers", { strategy: "custom_field" });
    expect(noField.statusCode).toBe(422);
    expect(noField.headers["content-type"]).toMatch(/problem\+json/);
    expect((await call(h.ctx, h.agent, "PUT", "/api/v1/connections/jira/customers", {})).statusCode).toBe(403);
    const customerCsm = await call(h.ctx, h.admin, "PATCH", `/api/v1/organizations/${acme.id}`, { ownerId: h.customer.id });
    expect(customerCsm.statusCode).toBe(422);
    expect((await call(h.ctx, h.admin, "PATCH", `/api/v1/organizations/${acme.id}`, { jiraMatch: { strategy: "label", value: "has space" } })).statusCode).toBe(422);
    expect((await call(h.ctx, h.customer, "GET", `/api/v1/organizations/${acme.id}/jira-issues`)).statusCode).toBe(403);
    expect((await call(h.ctx, h.customer, "POST", "/api/v1/jira/issues", { organizationId: acme.id, summary: "Please fix everything" })).statusCode).toBe(403);
    const foreignTicket = await buildTicket(h.ctx, h.customer);
    const wrongTicket = await call(h.ctx, h.agent, "POST", "/api/v1/jira/issues", { organizationId: acme.id, summary: "Tickets of someone else", ticketIds: [foreignTicket.id] });
    expect(wrongTicket.statusCode).toBe(422);
    expect((await call(h.ctx, h.admin, "POST", `/api/v1/jira/issue-requests/${ghost}/approve`, {})).statusCode).toBe(404);
  });
});
