import { api } from "./client.ts";
import type { Session, User } from "./types.ts";

export const login = (email: string, password: string) => api<Session>("/auth/login", { json: { email, password } });
export const logout = () => api<void>("/auth/logout", { method: "POST" });
export const me = () => api<User>("/auth/me");
export const requestMagicLink = (email: string) => api<{ accepted: true }>("/auth/magic-link", { json: { email } });
export const redeemMagicLink = (token: string) => api<Session>("/auth/magic-link/redeem", { json: { token } });
export const requestPasswordReset = (email: string) => api<{ accepted: true }>("/auth/password-reset", { json: { email } });
/** Spends a reset or an invitation token: both set the password the same way. */
export const confirmPasswordReset = (token: string, password: string) =>
  api<void>("/auth/password-reset/confirm", { json: { token, password } });
