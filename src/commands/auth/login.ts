import type { Db } from "../../db/client.js";
import { findUserByEmail } from "../../db/repositories/people.js";
import { dummyVerify, verifyPassword } from "../../auth/passwords.js";
import { openSession } from "./openSession.js";
import { AppError } from "../../errors.js";

/** Checks a password and opens a session. Every failure looks the same to the caller. */
export async function login(options: { db: Db; email: string; password: string; ttlHours: number }) {
  const user = await findUserByEmail(options.db, options.email);
  const ok = user?.passwordHash && user.isActive
    ? await verifyPassword(user.passwordHash, options.password)
    : await dummyVerify(options.password).then(() => false);
  if (!user || !ok) throw new AppError("INVALID_CREDENTIALS", "email or password is wrong");
  return { ...(await openSession(options.db, user.id, options.ttlHours)), user };
}
