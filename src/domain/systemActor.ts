import type { Actor } from "../policies/actor.js";

/** The automation identity (seeded by migration 0001): inactive and passwordless, so it can never sign in. */
export const SYSTEM_USER_ID = "00000000-0000-0000-0000-000000000001";

export const systemActor: Actor = {
  id: SYSTEM_USER_ID,
  role: "agent",
  email: "system@switchboard.invalid",
  name: "Switchboard",
  organizationId: null,
  isOrgManager: false,
};
