import { eq } from "drizzle-orm";
import { authTokens, organizations, users } from "../../db/schema/index.js";
import type { Db } from "../../db/client.js";
import { findUserByEmail, type UserRow } from "../../db/repositories/people.js";
import { hashPassword } from "../../auth/passwords.js";
import { generateToken, hashToken } from "../../auth/tokens.js";
import { enqueueAccountEmail } from "../../connectors/email/outbound/enqueueEmail.js";
import { AppError } from "../../errors.js";
import type { Actor, Role } from "../../policies/actor.js";

const INVITE_TTL_MS = 7 * 24 * 3600_000;

/**
 * Creates a person. Without a password they get a one-time invitation token, returned once,
 * from which the caller builds the invitation link.
 */
export async function createUser(options: {
  db: Db;
  actor: Actor | null;
  email: string;
  name: string;
  role: Role;
  password?: string | undefined;
  organizationId?: string | null | undefined;
  isOrgManager?: boolean | undefined;
  /** Mail the invitation (sealed with this key) as well as returning its token. */
  mailInvite?: { secretKey: Buffer } | undefined;
}): Promise<{ user: UserRow; inviteToken: string | null }> {
  const passwordHash = options.password ? await hashPassword(options.password) : null;
  return options.db.transaction(async (tx) => {
    const existing = await findUserByEmail(tx, options.email);
    // A contact created by the contact form may be promoted to a real account with a password.
    if (existing && !(existing.role === "customer" && existing.passwordHash === null && options.role === "customer")) {
      throw new AppError("EMAIL_TAKEN", "a person with this email already exists", { field: "email" });
    }
    if (options.organizationId) {
      const [org] = await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, options.organizationId));
      if (!org) throw new AppError("UNPROCESSABLE", "organizationId does not name an organization", { field: "organizationId" });
    }
    const values = {
      email: options.email.toLowerCase(),
      name: options.name,
      role: options.role,
      passwordHash,
      organizationId: options.organizationId ?? null,
      isOrgManager: options.isOrgManager ?? false,
    };
    const [user] = existing
      ? await tx.update(users).set({ ...values, updatedAt: new Date() }).where(eq(users.id, existing.id)).returning()
      : await tx.insert(users).values(values).returning();
    if (!user) throw new Error("user write returned no row");
    let inviteToken: string | null = null;
    if (!passwordHash) {
      inviteToken = generateToken("invite");
      await tx.insert(authTokens).values({
        userId: user.id,
        kind: "invite",
        tokenHash: hashToken(inviteToken),
        createdById: options.actor?.id ?? null,
        expiresAt: new Date(Date.now() + INVITE_TTL_MS),
      });
      if (options.mailInvite) {
        await enqueueAccountEmail(tx, { userId: user.id, kind: "invite", token: inviteToken, expiresAt: new Date(Date.now() + INVITE_TTL_MS), secretKey: options.mailInvite.secretKey });
      }
    }
    return { user, inviteToken };
  });
}
