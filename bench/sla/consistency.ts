import type pg from "pg";
import type { Db } from "../../src/db/client.js";
import { replayTicketClocks } from "../../src/commands/sla/syncTicketSla.js";
import type { ClockSnapshot } from "../../src/domain/sla/computeClocks.js";
import { rnd } from "./shapes.js";

export type ConsistencyResult = {
  sampled: number;
  /** Stored row == replay at the row's computed_at, on every field the sweep stores. */
  exact: number;
  /** Replay at "now": same state, due and next check as the stored row (consumed time moves on). */
  stillValidNow: number;
  mismatches: { number: string; metric: string; field: string; stored: unknown; replayed: unknown }[];
};

type StoredClock = {
  number: string;
  ticket_id: string;
  metric: string;
  state: string;
  policy_version_id: string;
  target_seconds: number;
  consumed_seconds: number;
  started_at: Date;
  due_at: Date | null;
  breached_at: Date | null;
  met_at: Date | null;
  warned_at: Record<string, string>;
  next_check_at: Date | null;
  computed_at: Date;
};

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

function compare(stored: StoredClock, c: ClockSnapshot | undefined, fields: readonly string[]): { field: string; stored: unknown; replayed: unknown }[] {
  const pairs: Record<string, [unknown, unknown]> = {
    exists: [true, c !== undefined],
    state: [stored.state, c?.state],
    policyVersionId: [stored.policy_version_id, c?.policyVersionId],
    targetSeconds: [stored.target_seconds, c?.targetSeconds],
    consumedSeconds: [stored.consumed_seconds, c?.consumedSeconds],
    startedAt: [iso(stored.started_at), iso(c?.startedAt)],
    dueAt: [iso(stored.due_at), iso(c?.dueAt)],
    breachedAt: [iso(stored.breached_at), iso(c?.breachedAt)],
    metAt: [iso(stored.met_at), iso(c?.metAt)],
    warnedAt: [JSON.stringify(stored.warned_at), JSON.stringify(c ? Object.fromEntries(Object.entries(c.warnedAt).map(([k, v]) => [k, v.toISOString()])) : null)],
    nextCheckAt: [iso(stored.next_check_at), iso(c?.nextCheckAt)],
  };
  return fields.flatMap((field) => {
    const [a, b] = pairs[field] ?? [undefined, undefined];
    return a === b ? [] : [{ field, stored: a, replayed: b }];
  });
}

const allFields = ["exists", "state", "policyVersionId", "targetSeconds", "consumedSeconds", "startedAt", "dueAt", "breachedAt", "metAt", "warnedAt", "nextCheckAt"] as const;
const nowFields = ["exists", "state", "policyVersionId", "targetSeconds", "dueAt", "breachedAt", "metAt", "nextCheckAt"] as const;

/**
 * Replays `sample` tickets spread over SUP-1…SUP-total through the app's own replayTicketClocks
 * and compares with the stored sla_clocks rows, field by field.
 */
export async function checkConsistency(client: pg.Client, db: Db, total: number, sample: number, salt: number): Promise<ConsistencyResult> {
  const gs = [...new Set(Array.from({ length: sample }, (_, i) => 1 + Math.floor(rnd(i + 1, 900 + salt) * total)))];
  const numbers = gs.map((g) => `SUP-${String(g).padStart(5, "0")}`);
  const { rows } = await client.query<StoredClock>(
    `select t.number, c.ticket_id, c.metric, c.state, c.policy_version_id, c.target_seconds, c.consumed_seconds, c.started_at, c.due_at,
            c.breached_at, c.met_at, c.warned_at, c.next_check_at, c.computed_at
     from tickets t join sla_clocks c on c.ticket_id = t.id where t.number = any($1::text[]) order by t.number, c.metric`,
    [numbers],
  );
  const result: ConsistencyResult = { sampled: gs.length, exact: 0, stillValidNow: 0, mismatches: [] };
  const byTicket = new Map<string, StoredClock[]>();
  for (const r of rows) byTicket.set(r.ticket_id, [...(byTicket.get(r.ticket_id) ?? []), r]);
  const now = new Date();
  for (const [ticketId, stored] of byTicket) {
    const computedAt = stored[0]!.computed_at;
    const atComputed = (await replayTicketClocks(db, ticketId, computedAt)).clocks;
    const atNow = (await replayTicketClocks(db, ticketId, now)).clocks;
    let exact = atComputed.length === stored.length;
    let valid = atNow.length === stored.length;
    for (const s of stored) {
      const diffs = compare(s, atComputed.find((c) => c.metric === s.metric), allFields);
      const nowDiffs = compare(s, atNow.find((c) => c.metric === s.metric), nowFields);
      if (diffs.length) exact = false;
      if (nowDiffs.length) valid = false;
      for (const d of diffs) result.mismatches.push({ number: s.number, metric: s.metric, ...d, field: `${d.field} (at computed_at)` });
      for (const d of nowDiffs) result.mismatches.push({ number: s.number, metric: s.metric, ...d, field: `${d.field} (at now)` });
    }
    if (exact) result.exact++;
    if (valid) result.stillValidNow++;
  }
  if (byTicket.size !== gs.length) {
    result.mismatches.push({ number: "-", metric: "-", field: "tickets found", stored: byTicket.size, replayed: gs.length });
  }
  return result;
}
