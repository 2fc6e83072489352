import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { LoadRequest, LoadResult } from "./loadgen.js";

const loadgenPath = fileURLToPath(new URL("./loadgen.ts", import.meta.url));

/** Runs one load in the load-generator child process (bench/loadgen.ts) and returns its report. */
export function forkLoad(request: LoadRequest): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    // tsx's loader is inherited through execArgv, so the child can be TypeScript too.
    const child = fork(loadgenPath, [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    let settled = false;
    child.once("message", (message: { ok: true; result: LoadResult } | { ok: false; error: string }) => {
      settled = true;
      if (message.ok) resolve(message.result);
      else reject(new Error(`load generator failed: ${message.error}`));
    });
    child.once("error", reject);
    child.once("exit", (code) => {
      if (!settled) reject(new Error(`load generator exited with code ${code} before reporting`));
    });
    child.send(request);
  });
}
