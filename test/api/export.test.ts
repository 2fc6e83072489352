import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { call, createTestContext, json, type TestContext } from "../helpers/testApp.js";
import { buildAdmin, buildAgent, buildCustomer, buildOrganization, buildTicket, type TestUser } from "../helpers/factories.js";

let ctx: TestContext;
let agent: TestUser;
let customer: TestUser;

type Ticket = {
  id: string;
  number: string;
  subject: string;
  status: string;
  priority: string;
  category: string;
  source: string;
  tags: string[];
  requester: { email: string };
  organization: { name: string } | null;
  team: { name: string } | null;
  assignee: { name: string } | null;
  createdAt: string;
  updatedAt: string;
  slaDueAt: string | null;
};

/** RFC 4180 records: quoted fields may hold commas, CRLF and doubled quotes. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let isQuoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (isQuoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') isQuoted = false;
      else field += c;
    } else if (c === '"') isQuoted = true;
    else if (c === ",") record.push(field), (field = "");
    else if (c === "\r" && text[i + 1] === "\n") {
      record.push(field), records.push(record), (record = []), (field = ""), i++;
    } else field += c;
  }
  if (field !== "" || record.length) record.push(field), records.push(record);
  return records;
}

const header = ["number", "subject", "status", "priority", "requester_email", "organization", "team", "assignee", "category", "source", "tags", "created_at", "updated_at", "sla_due_at"];

async function exportCsv(query: string, as: TestUser = agent) {
  const res = await call(ctx, as, "GET", `/api/v1/tickets/export?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  expect(res.body.startsWith("\uFEFF")).toBe(true);
  const records = parseCsv(res.body.slice(1));
  expect(records[0]).toEqual(header);
  return { res, rows: records.slice(1) };
}

beforeAll(async () => {
  ctx = await createTestContext();
  const admin = await buildAdmin(ctx);
  agent = await buildAgent(ctx, { name: "Alex Agent" });
  const org = await buildOrganization(ctx, "Acme Corp");
  customer = await buildCustomer(ctx, { organizationId: org.id });
  const team = json<{ id: string }>(await call(ctx, admin, "POST", "/api/v1/teams", { name: "Tier 1", members: [{ userId: agent.id }] }));

  const vat = await buildTicket(ctx, customer, { subject: "Invoice shows the wrong VAT number", priority: "high", category: "billing" });
  const patched = await call(ctx, agent, "PATCH", `/api/v1/tickets/${vat.id}`, { assigneeId: agent.id, teamId: team.id, tags: ["invoice", "vat"], status: "in_progress" });
  expect(patched.statusCode, patched.body).toBe(200);
  await buildTicket(ctx, customer, { subject: 'Say "hello", then\r\nwait for the tone', priority: "low" });
  for (const subject of ['=HYPERLINK("http://evil.example","click")', "+1 555 0100 keeps ringing", "-2+3 is shown as a sum", "@SUM(A1:A9) in my report"]) {
    await buildTicket(ctx, customer, { subject, priority: "medium", category: "formula" });
  }
});
afterAll(() => ctx.close());

describe("GET /api/v1/tickets/export", () => {
  it("streams the filtered tickets as a CSV attachment, with the same values as the list", async () => {
    const { res, rows } = await exportCsv("format=csv&priority=high");
    expect(res.headers["content-type"]).toBe("text/csv; charset=utf-8");
    const today = new Date().toISOString().slice(0, 10).replaceAll("-", "");
    expect(res.headers["content-disposition"]).toBe(`attachment; filename="tickets-${today}.csv"`);
    expect(res.body.endsWith("\r\n")).toBe(true);

    const [listed] = json<{ items: Ticket[] }>(await call(ctx, agent, "GET", "/api/v1/tickets?priority=high")).items;
    expect(listed!.slaDueAt).not.toBeNull();
    expect(rows).toEqual([
      [
        listed!.number,
        "Invoice shows the wrong VAT number",
        "in_progress",
        "high",
        customer.email,
        "Acme Corp",
        "Tier 1",
        "Alex Agent",
        "billing",
        "api",
        "invoice, vat",
        listed!.createdAt,
        listed!.updatedAt,
        listed!.slaDueAt!,
      ],
    ]);
  });

  it("defaults to csv and keeps commas, quotes and line breaks inside their cell", async () => {
    const { rows } = await exportCsv("priority=low");
    expect(rows.map((r) => r[1])).toEqual(['Say "hello", then\r\nwait for the tone']);
    expect(rows[0]!.slice(5, 8)).toEqual(["Acme Corp", "", ""]);
  });

  it("puts an apostrophe before cells a spreadsheet would run as a formula", async () => {
    const { rows } = await exportCsv("category=formula&sort=created_at");
    expect(rows.map((r) => r[1])).toEqual(["'=HYPERLINK(\"http://evil.example\",\"click\")", "'+1 555 0100 keeps ringing", "'-2+3 is shown as a sum", "'@SUM(A1:A9) in my report"]);
  });

  it("exports every matching ticket, past the first batch, in the list's order", async () => {
    // 520 tickets straight into the table: more than one batch of the export's walk (500).
    const requester = customer.id;
    await ctx.db.execute(sql`
      insert into tickets (number, subject, description, source, requester_id, category, priority, created_at)
      select 'BLK-' || lpad(g::text, 5, '0'), 'Bulk question ' || g, 'A question loaded in bulk for the export test.', 'api', ${requester}::uuid,
             'bulk', 'low', now() - (g || ' minutes')::interval
      from generate_series(1, 520) g`);
    const { rows } = await exportCsv("category=bulk&sort=-created_at");
    expect(rows).toHaveLength(520);
    expect(new Set(rows.map((r) => r[0])).size).toBe(520);

    const listed: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Ticket[]; nextCursor: string | null } = json(
        await call(ctx, agent, "GET", `/api/v1/tickets?category=bulk&sort=-created_at&limit=200${cursor ? `&cursor=${cursor}` : ""}`),
      );
      listed.push(...page.items.map((t) => t.number));
      cursor = page.nextCursor;
    } while (cursor);
    expect(rows.map((r) => r[0])).toEqual(listed);
    expect(rows[0]![0]).toBe("BLK-00001");
    expect(rows.at(-1)![0]).toBe("BLK-00520");
  });

  it("applies full-text search like the list", async () => {
    const { rows } = await exportCsv("q=invoice VAT");
    expect(rows.map((r) => r[1])).toEqual(["Invoice shows the wrong VAT number"]);
    const none = await exportCsv("q=nothingmatchesthis");
    expect(none.rows).toEqual([]);
  });

  it("answers 400 for pdf (not yet), unknown formats and list-only parameters", async () => {
    const pdf = await call(ctx, agent, "GET", "/api/v1/tickets/export?format=pdf");
    expect(pdf.statusCode).toBe(400);
    expect(pdf.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(json(pdf)).toMatchObject({ code: "BAD_REQUEST", field: "format" });
    expect(String(json(pdf).detail)).toMatch(/only format=csv/);
    for (const query of ["format=xlsx", "cursor=abc", "priority=extreme", "sort=subject"]) {
      const res = await call(ctx, agent, "GET", `/api/v1/tickets/export?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(json(res).code).toBe("VALIDATION_FAILED");
    }
  });

  it("is for staff only", async () => {
    const res = await call(ctx, customer, "GET", "/api/v1/tickets/export?format=csv");
    expect(res.statusCode).toBe(403);
    expect(json(res).code).toBe("FORBIDDEN");
    expect((await call(ctx, null, "GET", "/api/v1/tickets/export")).statusCode).toBe(401);
  });
});
