import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webAppRoutes, webContentSecurityPolicy } from "./webApp.js";
import { call, createTestContext, json, type TestContext } from "../../test/helpers/testApp.js";
import { buildCustomer } from "../../test/helpers/factories.js";

/** A stand-in for `vite build`'s output. */
async function fakeBuild(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "switchboard-web-"));
  await mkdir(join(root, "assets"));
  await writeFile(join(root, "index.html"), '<!doctype html><script type="module" src="/assets/app-1a2b3c.js"></script>');
  await writeFile(join(root, "assets", "app-1a2b3c.js"), "export {};\n");
  return root;
}

describe("serving the built web app", () => {
  let app: FastifyInstance;
  let root: string;
  beforeAll(async () => {
    root = await fakeBuild();
    app = Fastify();
    await app.register(webAppRoutes, { root });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await rm(root, { recursive: true, force: true });
  });

  it("answers every client-side page with the HTML shell under a strict CSP, never cached stale", async () => {
    for (const url of ["/", "/login", "/login/magic", "/reset-password", "/invite", "/contact", "/tickets", "/tickets/SUP-00042", "/tickets/new", "/desk", "/desk/tickets/SUP-00042", "/admin/users"]) {
      const res = await app.inject({ method: "GET", url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers["content-type"]).toMatch(/^text\/html/);
      expect(res.body).toContain("/assets/app-1a2b3c.js");
      expect(res.headers["content-security-policy"]).toBe(webContentSecurityPolicy);
      expect(res.headers["cache-control"]).toBe("no-cache");
    }
  });

  it("allows no inline script or style, and nothing from other origins", () => {
    const directives = Object.fromEntries(webContentSecurityPolicy.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1)]));
    expect(directives["default-src"]).toEqual(["'none'"]);
    expect(directives["script-src"]).toEqual(["'self'"]);
    expect(directives["style-src"]).toEqual(["'self'"]);
    expect(directives["connect-src"]).toEqual(["'self'"]);
    expect(directives["frame-ancestors"]).toEqual(["'none'"]);
    expect(webContentSecurityPolicy).not.toMatch(/unsafe-(inline|eval)|\*/);
  });

  it("serves hashed assets as immutable, and nothing outside the assets folder", async () => {
    const asset = await app.inject({ method: "GET", url: "/assets/app-1a2b3c.js" });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers["cache-control"]).toMatch(/immutable/);
    expect((await app.inject({ method: "GET", url: "/assets/missing.js" })).statusCode).toBe(404);
    expect((await app.inject({ method: "GET", url: "/assets/../index.html" })).statusCode).not.toBe(200);
    expect((await app.inject({ method: "GET", url: "/assets/%2e%2e/index.html" })).statusCode).not.toBe(200);
  });

  it("says the app is not built, rather than failing, when there is no build", async () => {
    const empty = await mkdtemp(join(tmpdir(), "switchboard-web-empty-"));
    const bare = Fastify();
    await bare.register(webAppRoutes, { root: empty });
    try {
      const res = await bare.inject({ method: "GET", url: "/desk" });
      expect(res.statusCode).toBe(404);
      expect(res.body).toMatch(/npm run build/);
    } finally {
      await bare.close();
      await rm(empty, { recursive: true, force: true });
    }
  });
});

describe("the web app beside the API", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  it("leaves unknown API paths to the API: 401 problem+json to strangers, 404 to the signed in", async () => {
    const stranger = await ctx.app.inject({ method: "GET", url: "/api/v1/no-such-thing" });
    expect(stranger.statusCode).toBe(401);
    expect(stranger.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(stranger.headers["content-security-policy"]).toBeUndefined();
    const customer = await buildCustomer(ctx);
    const signedIn = await call(ctx, customer, "GET", "/api/v1/no-such-thing");
    expect(signedIn.statusCode).toBe(404);
    expect(json(signedIn).code).toBe("NOT_FOUND");
    expect((await ctx.app.inject({ method: "GET", url: "/webhooks/nothing" })).statusCode).toBe(401);
    expect((await ctx.app.inject({ method: "GET", url: "/healthz" })).json()).toEqual({ status: "ok" });
  });

  it("serves pages to GET only", async () => {
    const post = await ctx.app.inject({ method: "POST", url: "/desk", payload: {} });
    expect(post.statusCode).toBe(401);
    expect(post.headers["content-type"]).toMatch(/^application\/problem\+json/);
  });
});
