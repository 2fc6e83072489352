import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, createTestContext, json, type TestContext } from "../helpers/testApp.js";
import { buildAdmin, buildAgent, type TestUser } from "../helpers/factories.js";

const ics = ["BEGIN:VCALENDAR", "VERSION:2.0", "BEGIN:VEVENT", "UID:x", "DTSTART;VALUE=DATE:20261231", "DTEND;VALUE=DATE:20270101", "SUMMARY:Office closed", "END:VEVENT", "END:VCALENDAR"].join("\r\n");

let strict: TestContext;
let open: TestContext;
let server: Server;
let feedUrl: string;
let admin: TestUser;
let openAdmin: TestUser;

beforeAll(async () => {
  strict = await createTestContext();
  open = await createTestContext({ ALLOW_PRIVATE_WEBHOOK_TARGETS: "true" });
  admin = await buildAdmin(strict);
  openAdmin = await buildAdmin(open);
  server = createServer((_req, res) => res.writeHead(200, { "content-type": "text/calendar" }).end(ics));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  feedUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/holidays.ics`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await strict.close();
  await open.close();
});

type Holidays = { holidays: { date: string; name?: string }[] };

describe("holiday generation and import", () => {
  it("generates a country's public holidays", async () => {
    const res = await call(strict, admin, "POST", "/api/v1/sla/holidays", { source: "country", country: "US", years: [2026] });
    expect(res.statusCode).toBe(200);
    expect(json<Holidays>(res).holidays.map((h) => h.date)).toEqual(expect.arrayContaining(["2026-07-04", "2026-12-25"]));
    const bad = await call(strict, admin, "POST", "/api/v1/sla/holidays", { source: "country", country: "XX", years: [2026] });
    expect(json(bad)).toMatchObject({ status: 422, field: "country" });
  });

  it("imports an inline iCal file", async () => {
    const res = await call(strict, admin, "POST", "/api/v1/sla/holidays", { source: "ical", timezone: "UTC", ics });
    expect(json<Holidays>(res).holidays).toEqual([{ date: "2026-12-31", name: "Office closed" }]);
  });

  it("refuses an iCal URL on a private address unless private targets are allowed", async () => {
    const refused = await call(strict, admin, "POST", "/api/v1/sla/holidays", { source: "ical", timezone: "UTC", url: feedUrl });
    expect(json(refused)).toMatchObject({ status: 422, field: "url" });
    const fetched = await call(open, openAdmin, "POST", "/api/v1/sla/holidays", { source: "ical", timezone: "UTC", url: feedUrl });
    expect(json<Holidays>(fetched).holidays).toEqual([{ date: "2026-12-31", name: "Office closed" }]);
  });

  it("is for admins only", async () => {
    const agent = await buildAgent(strict);
    expect((await call(strict, agent, "POST", "/api/v1/sla/holidays", { source: "country", country: "US", years: [2026] })).statusCode).toBe(403);
  });
});
