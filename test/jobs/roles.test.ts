import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { enqueue } from "../../src/jobs/enqueue.js";
import { jobRegistry } from "../../src/jobs/jobRegistry.js";
import { pruneJobSteps } from "../../src/jobs/pruneJobSteps.js";
import { openTestDatabase } from "../helpers/testDatabase.js";
import { jobsIn, sleep, startTestQueue, waitFor } from "./fixtures/jobTesting.js";

const isServer = Boolean(process.env.DATABASE_URL);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

/** `switchboard serve --role <role>`; resolves once its log says it runs. */
function serve(role: string, env: Record<string, string>): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "serve", "--role", role], {
    env: { ...process.env, DATABASE_URL: "", HOST: "127.0.0.1", DEMO_DATA: "false", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve --role ${role} did not start:\n${out}`)), 50_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (/Switchboard (worker )?is running/.test(out)) {
        clearTimeout(timer);
        resolve({ child, output: () => out });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => reject(new Error(`serve --role ${role} exited with ${code}:\n${out}`)));
  });
}

async function terminate(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  child.kill("SIGTERM");
  return exited;
}

const isListening = (port: number) =>
  fetch(`http://127.0.0.1:${port}/healthz`).then(
    (res) => res.ok,
    () => false,
  );

describe("switchboard serve --role", () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it.skipIf(isServer)("worker runs without HTTP on the embedded database and stops cleanly on SIGTERM", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "switchboard-roles-"));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const port = await freePort();
    const worker = await serve("worker", { DATA_DIR: dataDir, PORT: String(port) });
    cleanups.push(() => terminate(worker.child));
    expect(worker.output()).toContain("no HTTP");
    expect(await isListening(port)).toBe(false);
    expect(await terminate(worker.child)).toBe(0);
  });

  it.runIf(isServer)("web serves HTTP and leaves jobs to worker processes; worker runs them without HTTP", async () => {
    const database = await openTestDatabase();
    cleanups.push(() => database.close());
    const url = database.pool!.options.connectionString!;
    const producer = await startTestQueue(database, [...jobRegistry], { isMaintaining: false, isDefault: false });
    cleanups.push(() => producer.stop());

    const [webPort, workerPort] = [await freePort(), await freePort()];
    const web = await serve("web", { DATABASE_URL: url, PORT: String(webPort) });
    cleanups.push(() => terminate(web.child));
    expect(await isListening(webPort)).toBe(true);
    const id = await database.db.transaction((tx) => enqueue(tx, pruneJobSteps, {}, { queue: producer }));
    await sleep(3000);
    expect((await jobsIn(database.db, pruneJobSteps.name)).find((j) => j.id === id)?.state).toBe("created");

    const worker = await serve("worker", { DATABASE_URL: url, PORT: String(workerPort) });
    cleanups.push(() => terminate(worker.child));
    expect(await isListening(workerPort)).toBe(false);
    await waitFor("the worker to run the job", async () => (await jobsIn(database.db, pruneJobSteps.name)).find((j) => j.id === id && j.state === "completed"), 20_000);

    expect(await terminate(worker.child)).toBe(0);
    expect(await terminate(web.child)).toBe(0);
  });
});
