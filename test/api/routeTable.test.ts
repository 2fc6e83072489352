import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { count, eq } from "drizzle-orm";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { tickets, users } from "../../src/db/schema/index.js";
import { createUser } from "../../src/commands/users/createUser.js";
import { call, createTestContext, json, type TestContext } from "../helpers/testApp.js";
import { buildCustomer } from "../helpers/factories.js";

type Route = { method: string; url: string };

/**
 * A test context plus every route the app registered, collected by an onRoute hook. Fastify
 * announces each new instance on the `fastify.initialization` channel before any plugin or
 * route is added, so the hook sees the whole table, including the plugins' own routes.
 */
async function contextWithRouteTable(env: Record<string, string> = {}): Promise<{ ctx: TestContext; routes: Route[] }> {
  const routes: Route[] = [];
  const onInit = (message: unknown) => {
    (message as { fastify: FastifyInstance }).fastify.addHook("onRoute", (route) => {
      for (const method of [route.method].flat()) routes.push({ method, url: route.url });
    });
  };
  subscribe("fastify.initialization", onInit);
  try {
    return { ctx: await createTestContext(env), routes };
  } finally {
    unsubscribe("fastify.initialization", onInit);
  }
}

/**
 * Routes that answer without credentials. Everything else must answer 401 to a stranger.
 * Adding a route here is a security decision: say why next to it.
 */
const publicRoutes: { method: string; url: string; isPrefix?: boolean; why: string }[] = [
  { method: "GET", url: "/healthz", why: "liveness probe" },
  { method: "GET", url: "/readyz", why: "readiness probe" },
  { method: "GET", url: "/api/openapi.json", why: "the API description is public" },
  { method: "*", url: "/api/docs", isPrefix: true, why: "Swagger UI and its static files" },
  { method: "POST", url: "/api/v1/auth/login", why: "signing in; rate-limited per IP" },
  { method: "POST", url: "/api/v1/auth/password-reset", why: "asking for a reset link; same answer for any address; rate-limited per IP" },
  { method: "POST", url: "/api/v1/auth/password-reset/confirm", why: "spends a one-time reset or invitation token; rate-limited per IP" },
  { method: "POST", url: "/api/v1/auth/magic-link", why: "asking for a sign-in link; same answer for any address; rate-limited per IP" },
  { method: "POST", url: "/api/v1/auth/magic-link/redeem", why: "spends a one-time sign-in token; rate-limited per IP" },
  { method: "POST", url: "/api/v1/tickets", why: "anonymous contact form with an email; rate-limited per IP" },
  { method: "POST", url: "/webhooks/jira", why: "verified by HMAC signature (X-Hub-Signature); processing re-reads every issue from Jira, never trusting the body" },
  // The web app (src/http/webApp.ts): the same HTML shell for every client-side page, and the
  // built bundles. Neither carries data: what a page shows comes from /api/v1, which checks
  // credentials, so a stranger gets the sign-in page's code and nothing else.
  { method: "GET", url: "/assets/*", why: "the web app's built scripts and styles (hashed file names)" },
  { method: "GET", url: "/", why: "web app shell: portal home, with sign-in and the contact form" },
  { method: "GET", url: "/login", why: "web app shell: sign-in page" },
  { method: "GET", url: "/login/*", why: "web app shell: magic-link landing page (the token stays in the URL fragment)" },
  { method: "GET", url: "/forgot-password", why: "web app shell: asking for a reset link" },
  { method: "GET", url: "/reset-password", why: "web app shell: reset-link landing page" },
  { method: "GET", url: "/invite", why: "web app shell: invitation landing page" },
  { method: "GET", url: "/contact", why: "web app shell: the anonymous contact form" },
  { method: "GET", url: "/tickets", why: "web app shell: My tickets (the page asks signed-out people to sign in)" },
  { method: "GET", url: "/tickets/*", why: "web app shell: a ticket page or the new-ticket form (mailed links point here)" },
  { method: "GET", url: "/desk", why: "web app shell: the agent desk (the API refuses customers and strangers)" },
  { method: "GET", url: "/desk/*", why: "web app shell: desk pages" },
  { method: "GET", url: "/admin", why: "web app shell: admin (the API refuses everyone but admins)" },
  { method: "GET", url: "/admin/*", why: "web app shell: admin pages" },
];

const isPublic = (r: Route) =>
  publicRoutes.find((p) => (p.method === "*" || p.method === r.method) && (p.isPrefix ? r.url === p.url || r.url.startsWith(`${p.url}/`) : r.url === p.url));

/** A concrete URL for a route pattern: a uuid for every parameter, a file name for a wildcard. */
const concrete = (url: string) => url.replace(/:[A-Za-z0-9_]+(\([^)]*\))?/g, () => randomUUID()).replace(/\*$/, "index.html");

describe("the route table", () => {
  let ctx: TestContext;
  let routes: Route[];
  beforeAll(async () => {
    ({ ctx, routes } = await contextWithRouteTable());
  });
  afterAll(() => ctx.close());

  /** Each (method, url) once; HEAD only where it is not Fastify's automatic twin of a GET. */
  const table = () => {
    const unique = new Map(routes.map((r) => [`${r.method} ${r.url}`, r]));
    return [...unique.values()].filter((r) => r.method !== "HEAD" || !unique.has(`GET ${r.url}`));
  };

  it("is collected in full", () => {
    const keys = table().map((r) => `${r.method} ${r.url}`);
    for (const known of ["GET /api/v1/tickets", "PATCH /api/v1/tickets/:id", "POST /api/v1/tickets/:id/attachments", "DELETE /api/v1/tokens/:tokenId", "GET /healthz"]) {
      expect(keys).toContain(known);
    }
    expect(keys.length).toBeGreaterThan(25);
  });

  it("answers 401 problem+json to a request without credentials on every non-public route", async () => {
    const answered: string[] = [];
    for (const route of table().filter((r) => !isPublic(r))) {
      const res = await ctx.app.inject({
        method: route.method as "GET",
        url: concrete(route.url),
        ...(route.method === "GET" || route.method === "HEAD" ? {} : { payload: {} }),
      });
      if (res.statusCode !== 401) {
        answered.push(`${route.method} ${route.url} → ${res.statusCode}`);
        continue;
      }
      if (route.method !== "HEAD") {
        expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
        expect(json(res).code).toBe("UNAUTHENTICATED");
      }
    }
    // A route listed here answered a stranger: declare it public (with a reason) or protect it.
    expect(answered).toEqual([]);
  });

  it("has a public allow-list with no stale entries, each answering without credentials", async () => {
    const all = table();
    for (const entry of publicRoutes) {
      const matching = all.filter((r) => isPublic(r) === entry);
      expect(matching.length, `${entry.method} ${entry.url} matches no route`).toBeGreaterThan(0);
      for (const route of matching) {
        const res = await ctx.app.inject({ method: route.method as "GET", url: concrete(route.url), ...(route.method === "POST" ? { payload: {} } : {}) });
        expect(res.statusCode, `${route.method} ${route.url}`).not.toBe(401);
        expect(res.statusCode, `${route.method} ${route.url}`).toBeLessThan(500);
      }
    }
  });
});

const ticketCount = async (ctx: TestContext) => (await ctx.db.select({ n: count() }).from(tickets))[0]!.n;
const newTicket = { subject: "Cannot reset my password", description: "The reset link in the email says it has expired already." };

describe("rate limits", () => {
  it("limits anonymous ticket creation per IP, but not signed-in people", async () => {
    const ctx = await createTestContext({ ANON_TICKET_RATE_LIMIT: "3" });
    try {
      for (let i = 0; i < 3; i++) {
        const res = await call(ctx, null, "POST", "/api/v1/tickets", { ...newTicket, email: `visitor${i}@example.test` });
        expect(res.statusCode, res.body).toBe(201);
      }
      const before = await ticketCount(ctx);
      const limited = await call(ctx, null, "POST", "/api/v1/tickets", { ...newTicket, email: "visitor4@example.test" });
      expect(limited.statusCode).toBe(429);
      expect(limited.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(json(limited)).toMatchObject({ code: "RATE_LIMITED", status: 429 });
      expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
      expect(await ticketCount(ctx)).toBe(before);

      // Same IP, but signed in: the anonymous budget does not apply.
      const customer = await buildCustomer(ctx);
      for (let i = 0; i < 5; i++) {
        expect((await call(ctx, customer, "POST", "/api/v1/tickets", newTicket)).statusCode).toBe(201);
      }
      // A bad token is not "signed in".
      expect((await call(ctx, { token: "sbs_not-a-real-token-at-all" }, "POST", "/api/v1/tickets", { ...newTicket, email: "v@example.test" })).statusCode).toBe(429);
    } finally {
      await ctx.close();
    }
  });

  it("limits login attempts per IP", async () => {
    const ctx = await createTestContext({ LOGIN_RATE_LIMIT: "3" });
    try {
      const attempt = () => call(ctx, null, "POST", "/api/v1/auth/login", { email: "nobody@example.test", password: "wrong password" });
      for (let i = 0; i < 3; i++) {
        const res = await attempt();
        expect(res.statusCode).toBe(401);
        expect(json(res).code).toBe("INVALID_CREDENTIALS");
      }
      const limited = await attempt();
      expect(limited.statusCode).toBe(429);
      expect(limited.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(json(limited).code).toBe("RATE_LIMITED");
    } finally {
      await ctx.close();
    }
  });
});

describe("sessions", () => {
  const password = "correct horse battery staple";

  async function withUser(env: Record<string, string>, run: (ctx: TestContext, email: string) => Promise<void>) {
    const ctx = await createTestContext(env);
    try {
      const email = `login-${randomUUID().slice(0, 8)}@example.test`;
      await createUser({ db: ctx.db, actor: null, email, name: "Lena Login", role: "customer", password });
      await run(ctx, email);
    } finally {
      await ctx.close();
    }
  }

  const login = (ctx: TestContext, email: string, headers: Record<string, string> = {}) =>
    call(ctx, null, "POST", "/api/v1/auth/login", { email, password }, headers);
  const sessionCookie = (res: LightMyRequestResponse) => res.cookies.find((c) => c.name === "sb_session");

  it("sets an HttpOnly, SameSite=Lax session cookie without Secure over plain http; the token works as Bearer and dies on logout", async () => {
    await withUser({}, async (ctx, email) => {
      const res = await login(ctx, email);
      expect(res.statusCode).toBe(200);
      const body = json<{ token: string; user: { email: string } }>(res);
      expect(body.user.email).toBe(email);
      const cookie = sessionCookie(res)!;
      expect(cookie).toMatchObject({ value: body.token, httpOnly: true, sameSite: "Lax", path: "/" });
      expect(cookie.secure).toBeFalsy();
      expect(cookie.expires!.getTime()).toBeGreaterThan(Date.now());
      const raw = String(res.headers["set-cookie"]);
      expect(raw).toMatch(/HttpOnly/);
      expect(raw).not.toMatch(/Secure/i);

      const me = await call(ctx, { token: body.token }, "GET", "/api/v1/auth/me");
      expect(me.statusCode).toBe(200);
      expect(json(me).email).toBe(email);
      const viaCookie = await ctx.app.inject({ method: "GET", url: "/api/v1/auth/me", cookies: { sb_session: body.token } });
      expect(viaCookie.statusCode).toBe(200);

      const logout = await call(ctx, { token: body.token }, "POST", "/api/v1/auth/logout");
      expect(logout.statusCode).toBe(204);
      const cleared = sessionCookie(logout)!;
      expect(cleared.value).toBe("");
      expect(cleared.expires!.getTime()).toBeLessThanOrEqual(Date.now());

      const after = await call(ctx, { token: body.token }, "GET", "/api/v1/auth/me");
      expect(after.statusCode).toBe(401);
      expect(json(after).code).toBe("UNAUTHENTICATED");
      const afterCookie = await ctx.app.inject({ method: "GET", url: "/api/v1/auth/me", cookies: { sb_session: body.token } });
      expect(afterCookie.statusCode).toBe(401);
    });
  });

  it("marks the cookie Secure with COOKIE_SECURE=true", async () => {
    await withUser({ COOKIE_SECURE: "true" }, async (ctx, email) => {
      const res = await login(ctx, email);
      expect(res.statusCode).toBe(200);
      expect(sessionCookie(res)).toMatchObject({ secure: true, httpOnly: true, sameSite: "Lax" });
    });
  });

  it("marks the cookie Secure behind a trusted TLS proxy (COOKIE_SECURE=auto), and only then", async () => {
    await withUser({ TRUST_PROXY: "true" }, async (ctx, email) => {
      expect(sessionCookie(await login(ctx, email, { "x-forwarded-proto": "https" }))?.secure).toBe(true);
      expect(sessionCookie(await login(ctx, email, { "x-forwarded-proto": "http" }))?.secure).toBeFalsy();
    });
  });

  it("refuses a wrong password with the same answer as an unknown email", async () => {
    await withUser({}, async (ctx, email) => {
      const wrong = await call(ctx, null, "POST", "/api/v1/auth/login", { email, password: "not the password" });
      const unknown = await call(ctx, null, "POST", "/api/v1/auth/login", { email: "nobody@example.test", password });
      expect(wrong.statusCode).toBe(401);
      expect(json(wrong)).toEqual(json(unknown));
      expect(sessionCookie(wrong)).toBeUndefined();
    });
  });

  it("stores passwords as argon2id hashes, never as given", async () => {
    await withUser({}, async (ctx, email) => {
      const [row] = await ctx.db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.email, email));
      expect(row!.passwordHash).toMatch(/^\$argon2id\$/);
      expect(row!.passwordHash).not.toContain(password);
    });
  });
});
