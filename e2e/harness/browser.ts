import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { chromiumArgs, chromiumPath } from "./chromium.js";

export const screenshotDir = fileURLToPath(new URL("../screenshots/", import.meta.url));

/**
 * One browser for the run. playwright-core's launch gives it a fresh, temporary user-data
 * directory of its own (and deletes it on close); each person then gets an isolated context.
 */
export async function launchBrowser(): Promise<Browser> {
  await mkdir(screenshotDir, { recursive: true });
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
}

type AllowedFailure = { status: number; path: string };

/**
 * A page that records every console error and uncaught exception, so a journey fails on
 * them. A journey that provokes a failing request on purpose (a refused form) says so first
 * with `allowHttpError`; Chromium logs each failed response as a console error.
 */
export class Tab {
  readonly errors: string[] = [];
  private readonly allowed: AllowedFailure[] = [];

  private constructor(
    readonly page: Page,
    readonly context: BrowserContext,
    readonly name: string,
  ) {
    page.on("pageerror", (error) => this.errors.push(`uncaught: ${error.message}`));
    page.on("console", (msg) => {
      if (msg.type() !== "error") return;
      const text = msg.text();
      const status = /status of (\d{3})/.exec(text)?.[1];
      const url = msg.location().url;
      if (status) {
        const i = this.allowed.findIndex((a) => a.status === Number(status) && new URL(url).pathname.startsWith(a.path));
        if (i >= 0) {
          this.allowed.splice(i, 1);
          return;
        }
      }
      this.errors.push(`${text}${url ? ` (${url})` : ""}`);
    });
  }

  static async open(browser: Browser, baseUrl: string, name: string, viewport = { width: 1360, height: 900 }): Promise<Tab> {
    const context = await browser.newContext({ baseURL: baseUrl, viewport, locale: "en-GB", timezoneId: "UTC" });
    context.setDefaultTimeout(10_000);
    return new Tab(await context.newPage(), context, name);
  }

  allowHttpError(status: number, path: string): void {
    this.allowed.push({ status, path });
  }

  /** Fails with every console error seen since the last check. */
  assertNoConsoleErrors(): void {
    const seen = this.errors.splice(0);
    if (seen.length) throw new Error(`console errors in ${this.name}'s tab:\n  ${seen.join("\n  ")}`);
  }

  async screenshot(name: string, fullPage = true): Promise<string> {
    const path = `${screenshotDir}${name}.png`;
    await this.page.screenshot({ path, fullPage });
    return path;
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}
