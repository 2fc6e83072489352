import { authTokens } from "../../db/schema/index.js";
import type { Db } from "../../db/client.js";
import { findUserByEmail } from "../../db/repositories/people.js";
import { dummyVerify, verifyPassword } from "../../auth/passwords.js";
import { generateToken, hashToken } from "../../auth/tokens.js";
import { AppError } from "../../errors.js";

/** Checks a password and opens a session. Every failure looks the same to the caller. */
export async function login(options: { db: Db; email: string; password: string; ttlHours: number }) {
  const user = await findUserByEmail(options.db, options.email);
  const ok = user?.passwordHash && user.isActive
    ? await verifyPassword(user.passwordHash, options.password)
    : await dummyVerify(options.password).then(() => false);
  if (!user || !ok) throw new AppError("INVALID_CREDENTIALS", "email or password is wrong");
  const token = generateToken("session");
  const expiresAt = new Date(Date.now() + options.ttlHours * 3600_000);
  await options.db.insert(authTokens).values({ userId: user.id, kind: "session", tokenHash: hashToken(token), expiresAt });
  return { token, expiresAt, user };
}
