import { count } from "drizzle-orm";
import { slaCalendars } from "../../db/schema/index.js";
import type { Db } from "../../db/client.js";
import { calendar24x7, defaultBusinessCalendar } from "../../domain/sla/calendar.js";
import { defaultPolicyTargets, type PolicyDefinition } from "../../domain/sla/policy.js";
import { ticketPriorities } from "../../domain/ticketPriority.js";
import { systemActor } from "../../domain/systemActor.js";
import { saveCalendar } from "./saveCalendar.js";
import { savePolicy } from "./savePolicy.js";

/**
 * On a database without SLA configuration: a 24/7 calendar, a Mon–Fri 09:00–17:00 default
 * calendar in `timezone`, and one policy per priority with the Jira support-backend targets
 * (next response uses the first-response target).
 */
export async function ensureSlaDefaults(db: Db, timezone: string): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(slaCalendars);
  if ((row?.n ?? 0) > 0) return false;
  await saveCalendar({ db, actor: systemActor, input: calendar24x7("UTC") });
  await saveCalendar({ db, actor: systemActor, input: defaultBusinessCalendar(timezone), isDefault: true });
  const order = [...ticketPriorities].reverse();
  for (const [index, priority] of order.entries()) {
    const t = defaultPolicyTargets[priority];
    const target = (seconds: number) => ({ seconds, timeMode: "business" as const, warnAt: [75, 90], breachActions: {} });
    const definition: PolicyDefinition = {
      name: `${priority[0]!.toUpperCase()}${priority.slice(1)} priority`,
      position: (index + 1) * 10,
      isActive: true,
      calendarId: null,
      conditions: { priority: [priority] },
      targets: { first_response: target(t.first), next_response: target(t.first), resolution: target(t.resolution) },
      notifyInBusinessHoursOnly: false,
    };
    await savePolicy({ db, actor: systemActor, definition });
  }
  return true;
}
