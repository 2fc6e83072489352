import { Writable } from "node:stream";
import Fastify from "fastify";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { loggerOptions, redactUrl } from "./logger.js";

describe("logger", () => {
  it("redacts credentials in query strings and leaves other parameters", () => {
    expect(redactUrl("/api/v1/stream?token=sbs_abc&x=1")).toBe("/api/v1/stream?token=[redacted]&x=1");
    expect(redactUrl("/cb?code=AUTH&state=S1")).toBe("/cb?code=[redacted]&state=[redacted]");
    expect(redactUrl("/api/v1/tickets?status=open")).toBe("/api/v1/tickets?status=open");
  });

  it("writes no token from a request URL or an authorization header into Fastify's request log", async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const app = Fastify({ loggerInstance: pino(loggerOptions("info"), sink) });
    app.get("/probe", async () => ({ ok: true }));
    await app.inject({ method: "GET", url: "/probe?token=sbs_SECRET123&page=2", headers: { authorization: "Bearer sbt_SECRET456" } });
    await app.close();
    const log = lines.join("");
    expect(log).toContain("/probe?token=[redacted]&page=2");
    expect(log).not.toContain("SECRET123");
    expect(log).not.toContain("SECRET456");
  });
});
