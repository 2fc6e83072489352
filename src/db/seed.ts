import { count, eq } from "drizzle-orm";
import { tickets, users } from "./schema/index.js";
import type { Db } from "./client.js";
import type { Logger } from "../logger.js";
import { createUser } from "../commands/users/createUser.js";
import { createOrganization } from "../commands/organizations/createOrganization.js";
import { saveTeam } from "../commands/teams/saveTeam.js";
import { createTicket } from "../commands/tickets/createTicket.js";
import { replyToTicket } from "../commands/tickets/replyToTicket.js";
import { updateTicket } from "../commands/tickets/updateTicket.js";
import type { Actor } from "../policies/actor.js";
import type { UserRow } from "./repositories/people.js";

export const demoCredentials = {
  admin: { email: "admin@demo.switchboard.local", password: "switchboard-demo" },
  agent: { email: "agent@demo.switchboard.local", password: "switchboard-demo" },
  customer: { email: "customer@demo.switchboard.local", password: "switchboard-demo" },
};

const asActor = (u: UserRow): Actor => ({
  id: u.id,
  role: u.role,
  email: u.email,
  name: u.name,
  organizationId: u.organizationId,
  isOrgManager: u.isOrgManager,
});

/** Creates the first admin from ADMIN_EMAIL/ADMIN_PASSWORD when the database has no admin yet. */
export async function ensureAdmin(db: Db, email: string | undefined, password: string | undefined, log: Logger) {
  if (!email || !password) return;
  const [row] = await db.select({ n: count() }).from(users).where(eq(users.role, "admin"));
  if ((row?.n ?? 0) > 0) return;
  await createUser({ db, actor: null, email, name: "Administrator", role: "admin", password });
  log.info({ email }, "created the first admin from ADMIN_EMAIL");
}

/** Loads a small, realistic demo desk into an empty database. Returns false when there was data already. */
export async function seedDemoData(db: Db, log: Logger): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(tickets);
  if ((row?.n ?? 0) > 0) return false;
  const acme = await createOrganization({ db, name: "Acme Corp", domain: "acme.example" });
  const globex = await createOrganization({ db, name: "Globex", domain: "globex.example" });
  const admin = (await createUser({ db, actor: null, ...demoCredentials.admin, name: "Ada Admin", role: "admin" })).user;
  const agent = (await createUser({ db, actor: null, ...demoCredentials.agent, name: "Sam Agent", role: "agent" })).user;
  const agent2 = (await createUser({ db, actor: null, email: "lee@demo.switchboard.local", password: "switchboard-demo", name: "Lee Agent", role: "agent" })).user;
  const customer = (
    await createUser({ db, actor: null, ...demoCredentials.customer, name: "Carla Customer", role: "customer", organizationId: acme.id })
  ).user;
  const other = (
    await createUser({ db, actor: null, email: "gus@globex.example", password: "switchboard-demo", name: "Gus Globex", role: "customer", organizationId: globex.id })
  ).user;
  const teamId = await saveTeam({ db, input: { name: "Tier 1", description: "First line", members: [{ userId: agent.id, isLead: true }, { userId: agent2.id }] } });

  const samples = [
    { by: customer, subject: "Cannot log in after password reset", description: "I reset my password this morning and now the login page says my account is locked.", priority: "high" as const, category: "account" },
    { by: customer, subject: "Invoice shows the wrong VAT number", description: "Our March invoice lists an old VAT number. Please reissue it with the new one.", priority: "medium" as const, category: "billing" },
    { by: other, subject: "Export to CSV times out", description: "Exporting our full order history to CSV fails after about thirty seconds every time.", priority: "urgent" as const, category: "technical" },
    { by: other, subject: "Feature request: dark mode", description: "Our night-shift team would love a dark theme for the dashboard, if possible.", priority: "low" as const, category: "general" },
  ];
  const created = [];
  for (const s of samples) {
    const actor = asActor(s.by);
    const priority = s.priority === "urgent" ? "high" : s.priority;
    created.push(await createTicket({ db, actor, subject: s.subject, description: s.description, priority, category: s.category, source: "portal", channel: "portal" }));
  }
  const agentActor = asActor(agent);
  await updateTicket({ db, actor: agentActor, ticketRef: created[0]!.id, change: { assigneeId: agent.id, teamId, status: "in_progress" }, channel: "api" });
  await replyToTicket({ db, actor: agentActor, ticketRef: created[0]!.id, body: "Sorry about that! I've unlocked the account; please try again.", isInternal: false, channel: "api" });
  await replyToTicket({ db, actor: agentActor, ticketRef: created[0]!.id, body: "Lockout came from 5 failed attempts; check the brute-force log.", isInternal: true, channel: "api" });
  await updateTicket({ db, actor: asActor(admin), ticketRef: created[2]!.id, change: { priority: "urgent", tags: ["export", "performance"] }, channel: "api" });
  log.info({ tickets: created.length }, "loaded demo data");
  return true;
}
