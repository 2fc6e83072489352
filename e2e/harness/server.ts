import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));

export type RunningServer = {
  url: string;
  admin: { email: string; password: string };
  /** The server's output so far, for a failure report. */
  output(): string;
  stop(): Promise<void>;
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

async function waitUntilReady(url: string, isAlive: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error("the server exited while starting");
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the server did not become ready within ${timeoutMs / 1000} s`);
}

/**
 * `switchboard serve` as an operator runs it (from source, through tsx), on a fresh embedded
 * database in a temporary folder, with no demo data and a known admin. Mail goes to `smtpUrl`.
 */
export async function startServer(options: { smtpUrl: string }): Promise<RunningServer> {
  const dataDir = await mkdtemp(join(tmpdir(), "switchboard-e2e-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const admin = { email: "admin@e2e.test", password: "e2e-admin-password-1" };
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    DEMO_DATA: "false",
    ADMIN_EMAIL: admin.email,
    ADMIN_PASSWORD: admin.password,
    PORT: String(port),
    HOST: "127.0.0.1",
    PUBLIC_URL: url,
    SMTP_URL: options.smtpUrl,
    LOG_LEVEL: "warn",
    // The journeys file more tickets from one address than a visitor would.
    ANON_TICKET_RATE_LIMIT: "1000",
    LOGIN_RATE_LIMIT: "1000",
  };
  delete env.DATABASE_URL;
  const child = spawn(join(root, "node_modules/.bin/tsx"), ["src/cli/main.ts", "serve"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  let isAlive = true;
  child.stdout.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr.on("data", (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => {
      isAlive = false;
      resolve();
    }),
  );

  const stop = async () => {
    if (isAlive) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(url, () => isAlive, 120_000);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n--- server output ---\n${output}`);
  }
  return { url, admin, output: () => output, stop };
}
