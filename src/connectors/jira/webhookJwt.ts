import { createHmac, timingSafeEqual } from "node:crypto";

export type JwtCheck = { ok: true } | { ok: false; reason: "missing" | "malformed" | "unsupported_algorithm" | "mismatch" | "expired" };

/** Seconds of clock difference tolerated when reading `exp`. */
const LEEWAY_SECONDS = 60;

function decodeJson(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
}

/**
 * Checks the `Authorization: Bearer <JWT>` Jira sends with an OAuth 2.0 app's dynamic webhook
 * deliveries, signed HS256 with the app's client secret (PROTOCOLS.md §2.1, citing Atlassian's
 * "webhooks authentication for OAuth 2.0 apps"). The claim set is undocumented (PROTOCOLS.md §9.1),
 * so only the signature and, when present, `exp` are checked. Only HS256 is accepted (never `none`
 * or an algorithm the header picks), and the signature is compared in constant time over the
 * decoded bytes. The JWT does not cover the body: replays of a captured delivery inside `exp` are
 * stopped by the delivery-id deduplication, and processing never trusts the body anyway.
 */
export function verifyJiraWebhookJwt(input: { authorization: string | undefined; secret: string; now: Date }): JwtCheck {
  if (input.secret === "") throw new Error("an empty client secret would accept any token");
  const header = input.authorization?.trim();
  if (!header) return { ok: false, reason: "missing" };
  const m = /^Bearer\s+([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(header);
  if (!m) return { ok: false, reason: "malformed" };
  const [, head, payload, signature] = m as unknown as [string, string, string, string];
  const decodedHead = decodeJson(head) as { alg?: unknown } | undefined;
  const claims = decodeJson(payload) as { exp?: unknown } | undefined;
  if (typeof decodedHead !== "object" || decodedHead === null || typeof claims !== "object" || claims === null) return { ok: false, reason: "malformed" };
  if (decodedHead.alg !== "HS256") return { ok: false, reason: "unsupported_algorithm" };
  const sent = Buffer.from(signature, "base64url");
  const expected = createHmac("sha256", input.secret).update(`${head}.${payload}`).digest();
  if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) return { ok: false, reason: "mismatch" };
  if (claims.exp !== undefined) {
    if (typeof claims.exp !== "number") return { ok: false, reason: "malformed" };
    if (input.now.getTime() / 1000 > claims.exp + LEEWAY_SECONDS) return { ok: false, reason: "expired" };
  }
  return { ok: true };
}
