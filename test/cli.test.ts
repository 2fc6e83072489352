import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const cli = ["--import", "tsx", "src/cli/main.ts"];

type Run = { code: number | null; stdout: string; stderr: string };

function run(args: string[], env: Record<string, string>, until?: RegExp, timeoutMs = 60_000): Promise<Run & { kill(): void }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...cli, ...args], {
      env: { ...process.env, DATABASE_URL: "", LOG_LEVEL: "warn", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`timed out; stdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    const done = (code: number | null) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, kill: () => child.kill("SIGTERM") });
    };
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      if (until?.test(stdout)) done(null);
    });
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("exit", (code) => done(code));
  });
}

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "switchboard-cli-"));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

// These start the real CLI on the embedded database; the server run covers DATABASE_URL.
describe("switchboard CLI", () => {
  it("stops on a bad configuration with a readable list of every problem", async () => {
    const result = await run(["migrate"], { PORT: "seventy", DATA_DIR: dataDir, ADMIN_PASSWORD: "short" });
    expect(result.code).toBe(78);
    expect(result.stderr).toContain("Invalid configuration");
    expect(result.stderr).toContain("PORT");
    expect(result.stderr).toContain("ADMIN_PASSWORD");
  });

  it("serves with demo data, prints the URL and the demo admin, and the credentials work", async () => {
    const server = await run(["serve"], { PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir }, /Demo agent/);
    try {
      const url = server.stdout.match(/running at (http:\/\/\S+)/)?.[1];
      expect(url).toBeDefined();
      const creds = server.stdout.match(/Demo admin: (\S+) \/ (\S+)/);
      expect(creds).not.toBeNull();
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      const login = await fetch(`${url}/api/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: creds![1], password: creds![2] }),
      });
      expect(login.status).toBe(200);
      const { token } = (await login.json()) as { token: string };
      const list = await fetch(`${url}/api/v1/tickets`, { headers: { authorization: `Bearer ${token}` } });
      const body = (await list.json()) as { items: { number: string }[] };
      expect(body.items.length).toBeGreaterThanOrEqual(4);
      expect(body.items.map((t) => t.number)).toContain("SUP-00001");
    } finally {
      server.kill();
    }
  }, 90_000);

  it("migrates an embedded database from the command line", async () => {
    const result = await run(["migrate"], { DATA_DIR: join(dataDir, "other") });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("migrations applied");
  }, 60_000);
});
