import { eq } from "drizzle-orm";
import { slaCalendars } from "../../db/schema/index.js";
import type { Db } from "../../db/client.js";
import { isUniqueViolation } from "../../db/isUniqueViolation.js";
import { currentPolicyVersions } from "../../db/repositories/slaConfig.js";
import { ZCalendar, type CalendarInput } from "../../domain/sla/calendar.js";
import { AppError, notFound } from "../../errors.js";
import type { Actor } from "../../policies/actor.js";
import { savePolicy, type ApplyMode } from "./savePolicy.js";

/**
 * Creates or replaces a calendar. Policy versions pin the calendar they were saved with, so an
 * edit reaches tickets through new versions of the policies that use it, with the same
 * new-tickets / re-baseline choice as a policy edit.
 */
export async function saveCalendar(options: {
  db: Db;
  actor: Actor;
  calendarId?: string | undefined;
  input: CalendarInput;
  isDefault?: boolean | undefined;
  apply?: ApplyMode | undefined;
}) {
  const definition = ZCalendar.parse(options.input);
  let row: typeof slaCalendars.$inferSelect | undefined;
  try {
    row = await options.db.transaction(async (tx) => {
      if (options.isDefault) await tx.update(slaCalendars).set({ isDefault: false }).where(eq(slaCalendars.isDefault, true));
      if (options.calendarId) {
        const [updated] = await tx
          .update(slaCalendars)
          .set({ name: definition.name, definition, updatedAt: new Date(), ...(options.isDefault ? { isDefault: true } : {}) })
          .where(eq(slaCalendars.id, options.calendarId))
          .returning();
        if (!updated) throw notFound("calendar");
        return updated;
      }
      const [created] = await tx.insert(slaCalendars).values({ name: definition.name, definition, isDefault: options.isDefault ?? false }).returning();
      return created;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("CONFLICT", "a calendar with this name exists", { field: "name" });
    throw e;
  }
  const saved = row!;
  if (options.calendarId) {
    const users = (await currentPolicyVersions(options.db)).filter(
      (v) => v.definition.calendarId === saved.id || (v.definition.calendarId === null && saved.isDefault),
    );
    for (const v of users) {
      await savePolicy({ db: options.db, actor: options.actor, policyId: v.policyId, definition: v.definition, apply: options.apply });
    }
  }
  return saved;
}
