import type { Locator } from "playwright-core";

/**
 * Waiting assertions for playwright-core, which has no `expect`: each retries until true or
 * the timeout, because the page updates by itself (queries, the live stream).
 */
export async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}${lastError ? ` (last error: ${String(lastError)})` : ""}`);
}

export async function expectVisible(locator: Locator, what: string, timeoutMs = 10_000): Promise<void> {
  await eventually(`${what} is visible`, () => locator.first().isVisible(), timeoutMs);
}

export async function expectHidden(locator: Locator, what: string, timeoutMs = 10_000): Promise<void> {
  await eventually(`${what} is gone`, async () => (await locator.count()) === 0 || !(await locator.first().isVisible()), timeoutMs);
}

export async function expectText(locator: Locator, pattern: RegExp | string, what: string, timeoutMs = 10_000): Promise<void> {
  await eventually(`${what} reads ${String(pattern)}`, async () => {
    const text = (await locator.first().textContent()) ?? "";
    return typeof pattern === "string" ? text.includes(pattern) : pattern.test(text);
  }, timeoutMs);
}

export async function expectAttribute(locator: Locator, name: string, value: string, what: string, timeoutMs = 10_000): Promise<void> {
  await eventually(`${what} has ${name}="${value}"`, async () => (await locator.first().getAttribute(name)) === value, timeoutMs);
}
