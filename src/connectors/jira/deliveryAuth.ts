import { AppError } from "../../errors.js";
import type { StoredSecrets } from "./storedConnection.js";
import { verifyJiraSignature } from "./webhook.js";
import { verifyJiraWebhookJwt } from "./webhookJwt.js";

type Headers = Record<string, string | string[] | undefined>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/**
 * Who may deliver to `/webhooks/jira`: an admin webhook signs the body with the connection's
 * webhook secret (`X-Hub-Signature`); an OAuth app's dynamic webhook carries a JWT signed with the
 * app's client secret (`Authorization: Bearer`). A delivery with neither, or a connection with no
 * secret to check it against, is refused (401) before anything is stored.
 */
export function authenticateJiraDelivery(input: { authKind: string | null; secrets: StoredSecrets; rawBody: Buffer; headers: Headers; now: Date }): "signature" | "jwt" {
  const signature = first(input.headers["x-hub-signature"]);
  const authorization = first(input.headers.authorization);
  const clientSecret = input.authKind === "oauth" ? input.secrets.clientSecret : undefined;
  if (!signature && clientSecret && authorization?.startsWith("Bearer ")) {
    const check = verifyJiraWebhookJwt({ authorization, secret: clientSecret, now: input.now });
    if (!check.ok) throw new AppError("UNAUTHENTICATED", check.reason === "expired" ? "the webhook's JWT has expired" : "the webhook's JWT does not verify with the OAuth app's client secret", { reason: check.reason });
    return "jwt";
  }
  const webhookSecret = input.secrets.webhookSecret;
  if (!webhookSecret) {
    throw new AppError(
      "UNAUTHENTICATED",
      clientSecret
        ? "this delivery carries neither the OAuth app's JWT nor an X-Hub-Signature this connection can check"
        : "this Jira connection has no webhook secret, so no delivery can be verified; set one (JIRA_WEBHOOK_SECRET)",
    );
  }
  const check = verifyJiraSignature({ rawBody: input.rawBody, signature, secret: webhookSecret });
  if (!check.ok) throw new AppError("UNAUTHENTICATED", check.reason === "missing" ? "X-Hub-Signature is missing" : "X-Hub-Signature does not match the body", { reason: check.reason });
  return "signature";
}
