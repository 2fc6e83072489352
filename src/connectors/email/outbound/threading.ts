import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** The domain part of every Message-ID we write; the inbound side recognises its own by it. */
export const MESSAGE_ID_DOMAIN = "switchboard";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MESSAGE_ID = /^<?t\.([0-9a-f-]{36})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{22})@switchboard>?$/;

/**
 * The key that signs Message-IDs: HMAC-SHA256 of a fixed label under the secret key
 * (src/crypto/secretKey.ts), so it never equals the key that encrypts secrets at rest.
 */
export function deriveThreadingKey(secretKey: Buffer): Buffer {
  return createHmac("sha256", secretKey).update("switchboard/email/message-id/v1").digest();
}

const sign = (key: Buffer, ticketId: string, nonce: string) =>
  createHmac("sha256", key).update(`${ticketId}.${nonce}`).digest().subarray(0, 16).toString("base64url");

/**
 * A new, unique Message-ID for a mail about `ticketId`, without angle brackets:
 * `t.<ticket id>.<random>.<signature>@switchboard`. The signature (128 bits of HMAC-SHA256) binds
 * the ticket id to the random part, so a forged reference cannot attach a mail to another ticket.
 */
export function createMessageId(key: Buffer, ticketId: string): string {
  if (!UUID.test(ticketId)) throw new Error(`not a ticket id: ${ticketId}`);
  const nonce = randomBytes(12).toString("base64url");
  return `t.${ticketId}.${nonce}.${sign(key, ticketId, nonce)}@${MESSAGE_ID_DOMAIN}`;
}

/**
 * The ticket id a Message-ID we wrote stands for, or null if it is not ours or its signature does
 * not match (compared in constant time). Accepts the id with or without angle brackets.
 */
export function verifyMessageId(key: Buffer, messageId: string): { ticketId: string } | null {
  const match = MESSAGE_ID.exec(messageId.trim());
  if (!match) return null;
  const [, ticketId, nonce, signature] = match as unknown as [string, string, string, string];
  if (!UUID.test(ticketId)) return null;
  const expected = Buffer.from(sign(key, ticketId, nonce));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given) ? { ticketId } : null;
}

/**
 * In-Reply-To and References for the next mail of a thread, from the Message-IDs already sent
 * on the ticket (oldest first). References keeps the first and the latest 9, as mail clients
 * shorten long chains the same way. Nothing when the thread is empty.
 */
export function threadHeaders(previous: readonly string[]): { inReplyTo?: string; references?: string[] } {
  if (previous.length === 0) return {};
  const kept = previous.length > 10 ? [previous[0]!, ...previous.slice(-9)] : [...previous];
  return { inReplyTo: `<${previous.at(-1)!}>`, references: kept.map((id) => `<${id}>`) };
}

/** `[SUP-00042] subject`: the number the inbound side and people's filters look for. */
export function threadSubject(ticketNumber: string, subject: string): string {
  return `[${ticketNumber}] ${subject}`;
}
