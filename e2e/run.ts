/**
 * The browser journeys: builds the web app, starts a real server on a fresh embedded database,
 * and drives Debian's Chromium through playwright-core. `npm run test:e2e` runs it; `npm test`
 * runs it with --if-chromium, which skips (loudly) when Chromium is missing, except in CI.
 */
import { fileURLToPath } from "node:url";
import { build } from "vite";
import type { Browser } from "playwright-core";
import { startTestSmtpServer, type TestSmtpServer } from "../test/email/fixtures/smtpServer.js";
import { chromiumPath, isChromiumInstalled } from "./harness/chromium.js";
import { launchBrowser, screenshotDir } from "./harness/browser.js";
import type { Journey } from "./harness/journey.js";
import { startServer, type RunningServer } from "./harness/server.js";
import { seedWorld, type World } from "./harness/world.js";
import { customerFilesTicket } from "./journeys/customerFilesTicket.js";
import { agentNoteAndReply } from "./journeys/agentNoteAndReply.js";
import { customerSeesReply } from "./journeys/customerSeesReply.js";
import { queueKeyboard } from "./journeys/queueKeyboard.js";
import { contactForm } from "./journeys/contactForm.js";
import { magicLink } from "./journeys/magicLink.js";
import { closeAndReopen } from "./journeys/closeAndReopen.js";
import { mergeAndBulkAssign } from "./journeys/mergeAndBulkAssign.js";
import { adminEditsSlaPolicy } from "./journeys/adminEditsSlaPolicy.js";
import { dashboardCharts } from "./journeys/dashboardCharts.js";

/** In order: the later ones continue with the ticket the first one filed. */
const allJourneys: Journey[] = [customerFilesTicket, agentNoteAndReply, customerSeesReply, queueKeyboard, contactForm, magicLink, closeAndReopen, mergeAndBulkAssign, adminEditsSlaPolicy, dashboardCharts];

/**
 * `--only merge,sla` runs the journeys whose names contain any of the words (case-insensitive),
 * after the first one, which files the ticket the others build on.
 */
function selectJourneys(argv: string[]): Journey[] {
  const at = argv.indexOf("--only");
  const words = at >= 0 ? (argv[at + 1] ?? "").toLowerCase().split(",").filter(Boolean) : [];
  if (words.length === 0) return allJourneys;
  return allJourneys.filter((j, i) => i === 0 || words.some((w) => j.name.toLowerCase().includes(w)));
}
const journeys = selectJourneys(process.argv);
const journeyTimeoutMs = 60_000;

const out = (line: string) => process.stdout.write(`${line}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${seconds(ms)}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function runJourneys(world: World): Promise<number> {
  let failures = 0;
  for (const [i, journey] of journeys.entries()) {
    const started = Date.now();
    try {
      await withTimeout(journey.run(world), journeyTimeoutMs, "the journey");
      world.assertNoConsoleErrors();
      out(`  ✔ ${i + 1}. ${journey.name} (${seconds(Date.now() - started)})`);
    } catch (error) {
      failures += 1;
      out(`  ✖ ${i + 1}. ${journey.name} (${seconds(Date.now() - started)})`);
      out(`      ${String((error as Error).stack ?? error).split("\n").join("\n      ")}`);
      for (const tab of world.tabs) {
        const path = await tab.screenshot(`failure-${i + 1}-${tab.name}`).catch(() => "(no screenshot)");
        out(`      ${tab.name}'s tab: ${tab.page.url()} → ${path}`);
        tab.errors.splice(0);
      }
    }
  }
  return failures;
}

async function main(): Promise<number> {
  const isOptional = process.argv.includes("--if-chromium");
  const isCi = process.env.CI === "true";
  if (!(await isChromiumInstalled())) {
    const why = `Chromium was not found at ${chromiumPath} (install it with: apt-get install -y chromium; or set CHROMIUM_PATH).`;
    if (isOptional && !isCi) {
      out(`\n==== BROWSER TESTS SKIPPED: ${why} ====\n`);
      return 0;
    }
    out(`\nBrowser tests cannot run: ${why}${isCi ? " In CI a missing Chromium is a failure." : ""}`);
    return 1;
  }

  const started = Date.now();
  out("Browser tests: building the web app…");
  await build({ configFile: fileURLToPath(new URL("../vite.config.ts", import.meta.url)), logLevel: "warn" });
  let mailbox: TestSmtpServer | undefined;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  try {
    mailbox = await startTestSmtpServer();
    out("Browser tests: starting a server on a fresh database…");
    server = await startServer({ smtpUrl: mailbox.url });
    browser = await launchBrowser();
    const world = await seedWorld(server.url, browser, mailbox, server.admin);
    out(`Browser tests: ${journeys.length} journeys against ${server.url} (Chromium ${browser.version()})`);
    const failures = await runJourneys(world);
    out(`\n${failures ? `✖ ${failures} of ${journeys.length} journeys failed` : `✔ all ${journeys.length} journeys passed`} in ${seconds(Date.now() - started)}; screenshots in ${screenshotDir}`);
    if (failures) out(`\n--- server output ---\n${server.output().slice(-6000)}`);
    return failures ? 1 : 0;
  } finally {
    await browser?.close();
    await server?.stop();
    await mailbox?.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    out(`Browser tests could not run: ${String((error as Error).stack ?? error)}`);
    process.exit(1);
  },
);
