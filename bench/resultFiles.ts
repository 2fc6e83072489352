import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Where every suite commits its results. */
export const RESULTS_DIR = fileURLToPath(new URL("./results/", import.meta.url));

/** Writes `<name>.json` (everything measured) and `<name>.md` (the readable summary). */
export async function writeResultFiles(name: string, result: unknown, markdown: string, dir = RESULTS_DIR): Promise<{ json: string; md: string }> {
  await mkdir(dir, { recursive: true });
  const base = join(dir, name);
  await writeFile(`${base}.json`, `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(`${base}.md`, markdown);
  return { json: `${base}.json`, md: `${base}.md` };
}
