import { eq } from "drizzle-orm";
import type { Executor } from "../db/client.js";
import { selectTicketRows, type TicketListRow } from "../db/repositories/listTickets.js";
import { loadThread } from "../db/repositories/thread.js";
import { tickets } from "../db/schema/index.js";
import { systemActor } from "../domain/systemActor.js";
import { isStaff, type Actor } from "../policies/actor.js";
import { presentMessage } from "../presenters/presentMessage.js";
import { presentTicket } from "../presenters/presentTicket.js";
import type { Message, Ticket } from "../presenters/schemas.js";
import type { ActivityNotice } from "./activityNotice.js";
import { planFrames, type FramePlan } from "./planFrames.js";

/** What a client receives, one JSON text frame each. */
export type StreamFrame = {
  type: string;
  ticketId: string | null;
  ticketNumber: string | null;
  at: string;
  data: Record<string, unknown>;
};

type ThreadEntry = Awaited<ReturnType<typeof loadThread>>[number];
type TicketView = Omit<TicketListRow, "sortKey">;

/**
 * One committed activity, loaded once and rendered at most twice (staff, customer) however
 * many sockets receive it: the presenters depend on the viewer only through `isStaff`.
 */
export class ActivityFrames {
  private readonly rendered = new Map<boolean, string[]>();

  private constructor(
    private readonly notice: ActivityNotice,
    private readonly plans: FramePlan[],
    private readonly row: TicketView,
    private readonly messages: Map<string, ThreadEntry>,
  ) {}

  /**
   * Loads what the frames show, in two steps so that a change nobody connected may see costs
   * one query: `audience` gets the ticket and says whether anyone may have frames about it.
   * Null when the activity yields no frames, its ticket is gone, or the audience is empty.
   */
  static async load(db: Executor, notice: ActivityNotice, audience: (ticket: TicketView["ticket"]) => boolean): Promise<ActivityFrames | null> {
    const plans = planFrames(notice.events);
    if (plans.length === 0) return null;
    const [row] = await selectTicketRows(db).where(eq(tickets.id, notice.ticketId));
    if (!row || !audience(row.ticket)) return null;
    const messages = new Map<string, ThreadEntry>();
    for (const plan of plans) {
      if (plan.type !== "message.created") continue;
      // Loaded as staff; what a customer may have of it is decided when rendering.
      const [entry] = await loadThread(db, systemActor, notice.ticketId, plan.messageId);
      if (entry) messages.set(plan.messageId, entry);
    }
    return new ActivityFrames(notice, plans, row, messages);
  }

  /** The serialized frames for a viewer who may see the ticket. */
  framesFor(viewer: Actor): string[] {
    const staff = isStaff(viewer);
    let frames = this.rendered.get(staff);
    if (!frames) {
      const ticket = presentTicket(this.row, viewer);
      frames = this.plans.flatMap((plan) => {
        const data = this.dataFor(plan, staff, ticket);
        return data ? [JSON.stringify(this.frame(plan.type, data))] : [];
      });
      this.rendered.set(staff, frames);
    }
    return frames;
  }

  private frame(type: string, data: Record<string, unknown>): StreamFrame {
    return { type, ticketId: this.row.ticket.id, ticketNumber: this.row.ticket.number, at: this.notice.at, data };
  }

  private dataFor(plan: FramePlan, staff: boolean, ticket: Ticket): Record<string, unknown> | null {
    if (plan.staffOnly && !staff) return null;
    switch (plan.type) {
      case "ticket.created":
      case "ticket.assigned":
        return { ticket, changes: plan.changes };
      case "ticket.updated":
        return { ticket, changes: staff ? plan.changes : plan.customerChanges };
      case "message.created": {
        const message = this.presentedMessage(plan.messageId, staff);
        return message ? { message } : null;
      }
      default:
        return { ticket, metric: plan.metric, threshold: plan.threshold };
    }
  }

  private presentedMessage(messageId: string, staff: boolean): Message | null {
    const entry = this.messages.get(messageId);
    if (!entry) return null;
    if (staff) return presentMessage(entry);
    // The plan already keeps notes from customers; this holds even if a plan got that wrong.
    if (entry.message.isInternal) return null;
    return presentMessage({ ...entry, attachments: entry.attachments.filter((a) => !a.isInternal) });
  }
}
