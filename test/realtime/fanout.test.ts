import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/app.js";
import { createTestContext, type TestContext } from "../helpers/testApp.js";
import { buildAgent, buildCustomer, type TestUser } from "../helpers/factories.js";
import { isFrame, StreamClient } from "./streamClient.js";

/*
 * Fan-out across instances goes through the database's LISTEN/NOTIFY, never through memory:
 * a change committed by one instance reaches sockets held by another.
 */

const isServer = Boolean(process.env.DATABASE_URL);

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function context(): Promise<TestContext> {
  const ctx = await createTestContext();
  cleanups.push(() => ctx.close());
  return ctx;
}

function stream(base: string, who: TestUser): Promise<StreamClient> {
  return StreamClient.connect(base, { bearer: who.token }).then((client) => {
    cleanups.push(() => client.close());
    return client;
  });
}

async function fileTicket(base: string, who: TestUser, subject: string): Promise<{ id: string; number: string }> {
  const res = await fetch(`${base}/api/v1/tickets`, {
    method: "POST",
    headers: { authorization: `Bearer ${who.token}`, "content-type": "application/json" },
    body: JSON.stringify({ subject, description: "Filed through one instance, announced by all of them." }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; number: string };
}

describe("two app instances on one database (in process)", () => {
  it("both deliver a change committed through either, and closing one closes its sockets with 1001", async () => {
    const ctx = await context();
    const baseA = await ctx.app.listen({ port: 0, host: "127.0.0.1" });
    // A second app on the same database handle: its own hub and its own LISTEN.
    const appB = await buildApp({ database: ctx.database, config: ctx.config, logger: false });
    let isBClosed = false;
    cleanups.push(() => (isBClosed ? Promise.resolve() : appB.close()));
    const baseB = await appB.listen({ port: 0, host: "127.0.0.1" });
    const agent = await buildAgent(ctx);
    const customer = await buildCustomer(ctx);
    const [atA, atB] = [await stream(baseA, agent), await stream(baseB, agent)];
    const customerAtB = await stream(baseB, customer);

    const first = await fileTicket(baseA, customer, "Filed through instance A");
    await atA.next(isFrame("ticket.created", first.id), "A's frame");
    await atB.next(isFrame("ticket.created", first.id), "B's frame");
    await customerAtB.next(isFrame("ticket.created", first.id), "the customer's frame at B");
    const second = await fileTicket(baseB, customer, "Filed through instance B");
    await atA.next(isFrame("ticket.created", second.id), "A's frame of B's change");

    await appB.close();
    isBClosed = true;
    expect(await atB.closed).toEqual({ code: 1001, reason: "server shutting down" });
    expect((await customerAtB.closed).code).toBe(1001);
    const third = await fileTicket(baseA, customer, "Filed after B stopped");
    await atA.next(isFrame("ticket.created", third.id), "A's frame after B stopped");
  });
});

/** `switchboard serve --role web` on `url`; resolves with its base URL once it listens. */
async function serveWeb(url: string): Promise<{ child: ChildProcess; base: string }> {
  const dataDir = await mkdtemp(join(tmpdir(), "switchboard-stream-"));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "serve", "--role", "web"], {
    env: { ...process.env, DATABASE_URL: url, HOST: "127.0.0.1", PORT: "0", DATA_DIR: dataDir, DEMO_DATA: "false", LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  cleanups.push(() => terminate(child));
  let out = "";
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve --role web did not start:\n${out}`)), 50_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const running = /Switchboard is running at (http:\/\/\S+)/.exec(out);
      if (running) {
        clearTimeout(timer);
        resolve(running[1]!);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`serve --role web exited with ${code}:\n${out}`)));
  });
  return { child, base };
}

async function terminate(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  child.kill("SIGTERM");
  return exited;
}

// PGlite belongs to one process, so separate processes need a PostgreSQL server.
describe("two `switchboard serve --role web` processes on one PostgreSQL database", () => {
  it.skipIf(!isServer)("both deliver a ticket created through one of them", async () => {
    const ctx = await context();
    const url = ctx.database.pool!.options.connectionString!;
    const [a, b] = await Promise.all([serveWeb(url), serveWeb(url)]);
    const agent = await buildAgent(ctx);
    const customer = await buildCustomer(ctx);
    const atA = await stream(a.base, agent);
    const atB = await stream(b.base, agent);
    const customerAtB = await stream(b.base, customer);

    const t = await fileTicket(a.base, customer, "Filed through process A");
    const [fromA, fromB] = [await atA.next(isFrame("ticket.created", t.id), "process A's frame"), await atB.next(isFrame("ticket.created", t.id), "process B's frame")];
    expect(fromA.ticketNumber).toBe(t.number);
    expect(fromB.ticketNumber).toBe(t.number);
    await customerAtB.next(isFrame("ticket.created", t.id), "the customer's frame at process B");

    const back = await fileTicket(b.base, customer, "Filed through process B");
    await atA.next(isFrame("ticket.created", back.id), "process A's frame of B's change");

    expect(await terminate(a.child)).toBe(0);
    expect((await atA.closed).code).toBe(1001);
    expect(await terminate(b.child)).toBe(0);
  });

  it.skipIf(!isServer)("reconnects when the LISTEN connection is killed, tells clients to resync, and delivers again", async () => {
    const ctx = await context();
    const base = await ctx.app.listen({ port: 0, host: "127.0.0.1" });
    const agent = await buildAgent(ctx);
    const customer = await buildCustomer(ctx);
    const client = await stream(base, agent);

    const killed = await ctx.database.pool!.query(
      "select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and application_name = 'switchboard realtime'",
    );
    expect(killed.rows).toHaveLength(1);
    await client.next((f) => f.type === "stream.resync", "stream.resync");

    const t = await fileTicket(base, customer, "Filed after the reconnect");
    await client.next(isFrame("ticket.created", t.id), "a frame after the reconnect");
  });
});
