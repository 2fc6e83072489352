import { api } from "../client.ts";
import type { NewToken, TokenInfo } from "./types.ts";

export type TokenInput = { name: string; userId?: string | undefined; expiresAt?: string | undefined };

export const listTokens = (signal?: AbortSignal) => api<{ items: TokenInfo[] }>("/tokens", { signal }).then((r) => r.items);
/** The secret is in this answer only. */
export const createToken = (input: TokenInput) => api<NewToken>("/tokens", { json: input });
export const revokeToken = (id: string) => api<void>(`/tokens/${encodeURIComponent(id)}`, { method: "DELETE" });
