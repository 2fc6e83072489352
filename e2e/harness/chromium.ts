import { access, constants } from "node:fs/promises";

/** Debian's Chromium (apt-get install chromium); CHROMIUM_PATH points elsewhere when needed. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export async function isChromiumInstalled(): Promise<boolean> {
  try {
    await access(chromiumPath, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Headless, and quiet on the network: without the background flags Chromium keeps calling
 * Google services, which on a closed network means a stream of refused connections.
 */
export const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
