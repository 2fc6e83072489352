import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { AppError } from "../../errors.js";
import { assertOutboundUrl, isPrivateAddress } from "../../net/outboundUrl.js";

/** What one HTTP attempt came to: the delivery log's row. */
export type AttemptOutcome = {
  /** null when no response came (refused, timed out, blocked address). */
  statusCode: number | null;
  durationMs: number;
  isSuccess: boolean;
  responseExcerpt: string | null;
  error: string | null;
};

/** Enough of a response to see what the receiver said; the rest is never read. */
const EXCERPT_BYTES = 1024;
const EXCERPT_CHARS = 500;

/**
 * A resolver that refuses private, loopback, link-local and metadata addresses at connect time.
 * Checking the URL before the request is not enough: the name could resolve differently a moment
 * later (DNS rebinding), so the address actually connected to is the one checked.
 */
function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, "", 0);
      const blocked = allowPrivate ? undefined : addresses.find((a) => isPrivateAddress(a.address));
      if (blocked || addresses.length === 0) {
        const refused: NodeJS.ErrnoException = new Error(`${hostname} resolves to a private or reserved address`);
        refused.code = "EADDRBLOCKED";
        return callback(refused, "", 0);
      }
      if (options.all) return callback(null, addresses);
      return callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/**
 * POSTs a signed webhook body. Public addresses only (unless allowed), checked again at every
 * attempt; redirects are never followed (a 3xx is a failed attempt: it could point anywhere);
 * the whole exchange is bounded by `timeoutMs`; a fresh connection each time, so each attempt
 * resolves and checks the name again. Never throws: every outcome is an attempt to log.
 */
export async function postWebhook(input: {
  url: string;
  headers: Record<string, string>;
  body: string;
  allowPrivate: boolean;
  timeoutMs: number;
  signal?: AbortSignal;
}): Promise<AttemptOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let url: URL;
  try {
    url = await assertOutboundUrl(input.url, { allowPrivate: input.allowPrivate, field: "url" });
  } catch (error) {
    const message = error instanceof AppError ? error.message : String(error);
    return { statusCode: null, durationMs: elapsed(), isSuccess: false, responseExcerpt: null, error: `refused: ${message}` };
  }

  return new Promise<AttemptOutcome>((resolve) => {
    let isSettled = false;
    const settle = (outcome: Omit<AttemptOutcome, "durationMs">) => {
      if (isSettled) return;
      isSettled = true;
      clearTimeout(timer);
      input.signal?.removeEventListener("abort", onAbort);
      resolve({ ...outcome, durationMs: elapsed() });
    };
    const transport = url.protocol === "https:" ? https : http;
    const req = transport.request(url, {
      method: "POST",
      headers: { ...input.headers, "content-length": String(Buffer.byteLength(input.body)) },
      lookup: guardedLookup(input.allowPrivate),
      // No keep-alive pool: every attempt connects (and so resolves and checks the address) anew.
      agent: false,
    });
    const fail = (error: unknown) => {
      settle({ statusCode: null, isSuccess: false, responseExcerpt: null, error: error instanceof Error ? error.message : String(error) });
      req.destroy();
    };
    const timer = setTimeout(() => fail(new Error(`no complete answer within ${input.timeoutMs / 1000} s`)), input.timeoutMs);
    const onAbort = () => fail(new Error("the job was stopped"));
    input.signal?.addEventListener("abort", onAbort, { once: true });

    req.on("error", fail);
    req.on("response", (res) => {
      const statusCode = res.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = () => {
        const excerpt = Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString("utf8").slice(0, EXCERPT_CHARS);
        const isSuccess = statusCode >= 200 && statusCode < 300;
        let error: string | null = null;
        if (statusCode >= 300 && statusCode < 400) {
          error = `answered ${statusCode}; redirects are not followed${res.headers.location ? ` (Location: ${String(res.headers.location).slice(0, 200)})` : ""}`;
        } else if (!isSuccess) {
          error = `answered ${statusCode}`;
        }
        settle({ statusCode, isSuccess, responseExcerpt: excerpt || null, error });
        res.destroy();
      };
      res.on("data", (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= EXCERPT_BYTES) finish();
      });
      res.on("end", finish);
      res.on("error", (error) => (isSettled ? undefined : fail(error)));
    });
    req.end(input.body);
  });
}
