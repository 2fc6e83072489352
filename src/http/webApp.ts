import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance, FastifyReply } from "fastify";
import fastifyStatic from "@fastify/static";

/**
 * The built web app (`vite build` → dist/web). Resolved from this file so it is found both
 * from src/http (tsx) and from dist/http (the tsc build): each is two levels under the root.
 */
export const webRoot = fileURLToPath(new URL("../../dist/web/", import.meta.url));

/**
 * Client-side pages: a navigation to any of them gets the app's HTML and React Router takes
 * over. Listed rather than caught by a wildcard so that an unknown /api, /webhooks or other
 * path keeps the API's own 401/404 problem+json. Account mail links land on /login/magic,
 * /reset-password and /invite (the token rides in the fragment, which never reaches us).
 */
export const webPages = [
  "/",
  "/login",
  "/login/*",
  "/forgot-password",
  "/reset-password",
  "/invite",
  "/contact",
  "/tickets",
  "/tickets/*",
  "/desk",
  "/desk/*",
  "/admin",
  "/admin/*",
] as const;

/**
 * The policy for the HTML. The bundle is same-origin files only: no inline script or style
 * (React sets styles through the DOM, which CSP does not govern), no frames, no plugins. The
 * API and the WebSocket stream are same-origin too ('self' covers ws: and wss: in CSP 3).
 */
export const webContentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join("; ");

const notBuilt = "The web app has not been built: run `npm run build` (or `npx vite build`), then reload.\n";

async function sendIndex(reply: FastifyReply, root: string) {
  let html: string;
  try {
    html = await readFile(join(root, "index.html"), "utf8");
  } catch {
    // The API works without the web app (tests, API-only checkouts); say what is missing.
    return reply.code(404).type("text/plain; charset=utf-8").send(notBuilt);
  }
  return (
    reply
      .header("content-security-policy", webContentSecurityPolicy)
      // The shell names the hashed bundles of the current build, so it must never be stale.
      .header("cache-control", "no-cache")
      .type("text/html; charset=utf-8")
      .send(html)
  );
}

/**
 * Serves the customer portal (/), the agent desk (/desk) and admin (/admin) from the same
 * process as the API. Everything here is public: static files and the HTML shell carry no
 * data, and every piece of data the app shows comes from /api/v1, which checks credentials.
 * Not wrapped in fastify-plugin, so the onRoute hook below touches only these routes.
 */
export async function webAppRoutes(app: FastifyInstance, options: { root?: string } = {}) {
  const root = options.root ?? webRoot;
  app.addHook("onRoute", (route) => {
    route.config = { ...route.config, auth: "public" };
  });
  await app.register(fastifyStatic, {
    root: join(root, "assets"),
    prefix: "/assets/",
    // Vite puts a content hash in every asset name, so a name never changes meaning.
    immutable: true,
    maxAge: "365d",
    decorateReply: false,
    index: false,
    suppressWarning: true,
  });
  const page = { schema: { hide: true } };
  for (const url of webPages) app.get(url, page, (_req, reply) => sendIndex(reply, root));
}
