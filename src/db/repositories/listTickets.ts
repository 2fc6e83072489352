import { and, arrayContains, asc, eq, getTableColumns, gt, gte, inArray, isNull, lt, lte, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { messages, organizations, slaClocks, teams, tickets, users } from "../schema/index.js";
import type { Executor } from "../client.js";
import { isStaff, type Actor } from "../../policies/actor.js";
import { scoped } from "../../policies/ticketScope.js";
import { AppError } from "../../errors.js";
import { ticketPriorities, type TicketPriority } from "../../domain/ticketPriority.js";
import type { TicketStatus } from "../../domain/ticketStatus.js";
import type { TicketSource } from "../../domain/ticketNumber.js";

export const ticketSorts = [
  "created_at",
  "-created_at",
  "updated_at",
  "-updated_at",
  "priority",
  "-priority",
  "sla_due",
  "-sla_due",
] as const;
export type TicketSort = (typeof ticketSorts)[number];

export type TicketFilters = {
  status?: TicketStatus[] | undefined;
  priority?: TicketPriority[] | undefined;
  /** A user id, "me" or "unassigned". */
  assignee?: string | undefined;
  team?: string | undefined;
  category?: string | undefined;
  source?: TicketSource[] | undefined;
  tag?: string | undefined;
  organization?: string | undefined;
  requester?: string | undefined;
  q?: string | undefined;
  breaching?: "soon" | "breached" | undefined;
  createdAfter?: Date | undefined;
  createdBefore?: Date | undefined;
};

export type ListOptions = { filters: TicketFilters; sort: TicketSort; limit: number; cursor?: string | undefined };

const sortColumns = {
  created_at: tickets.createdAt,
  updated_at: tickets.updatedAt,
  priority: tickets.priority,
  sla_due: tickets.slaDueAt,
} as const;


type CursorValue = string | null;

function encodeCursor(value: CursorValue, id: string): string {
  return Buffer.from(JSON.stringify([value, id])).toString("base64url");
}

function decodeCursor(cursor: string): [CursorValue, string] {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      (typeof parsed[0] === "string" || parsed[0] === null) &&
      typeof parsed[1] === "string" &&
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(parsed[1])
    ) {
      return [parsed[0], parsed[1]];
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError("BAD_REQUEST", "cursor is not valid", { field: "cursor" });
}

function filterConditions(actor: Actor, f: TicketFilters): SQL[] {
  const c: SQL[] = [];
  if (f.status?.length) c.push(inArray(tickets.status, f.status));
  if (f.priority?.length) c.push(inArray(tickets.priority, f.priority));
  if (f.source?.length) c.push(inArray(tickets.source, f.source));
  if (f.assignee === "unassigned") c.push(isNull(tickets.assigneeId));
  else if (f.assignee === "me") c.push(eq(tickets.assigneeId, actor.id));
  else if (f.assignee) c.push(eq(tickets.assigneeId, f.assignee));
  if (f.team) c.push(eq(tickets.teamId, f.team));
  if (f.category) c.push(eq(tickets.category, f.category));
  if (f.tag) c.push(arrayContains(tickets.tags, [f.tag.toLowerCase()]));
  if (f.organization) c.push(eq(tickets.organizationId, f.organization));
  if (f.requester) c.push(eq(tickets.requesterId, f.requester));
  if (f.createdAfter) c.push(gte(tickets.createdAt, f.createdAfter));
  if (f.createdBefore) c.push(lt(tickets.createdAt, f.createdBefore));
  const now = Date.now();
  if (f.breaching === "breached") c.push(lte(tickets.slaDueAt, new Date(now)));
  if (f.breaching === "soon") {
    // Not yet breached, and a clock has crossed its first warning threshold (fired, or due to fire).
    c.push(
      and(
        gt(tickets.slaDueAt, new Date(now)),
        sql`exists (select 1 from ${slaClocks} where ${slaClocks.ticketId} = ${tickets.id} and ${slaClocks.state} = 'running'
          and (${slaClocks.warnedAt} <> '{}'::jsonb or ${slaClocks.nextCheckAt} <= ${new Date(now)}))`,
      )!,
    );
  }
  return c;
}

/** The two ways a ticket matches `q`: its own text, or one of its messages' text. */
function searchArms(actor: Actor, q: string): [SQL, SQL] {
  const query = sql`websearch_to_tsquery('english', ${q})`;
  // Customers must not find tickets by words that only appear in internal notes.
  const visible = isStaff(actor) ? sql`` : sql` and not ${messages.isInternal}`;
  return [
    sql`${tickets.searchVector} @@ ${query}`,
    sql`exists (select 1 from ${messages} where ${messages.ticketId} = ${tickets.id} and ${messages.searchVector} @@ ${query}${visible})`,
  ];
}

/**
 * PostgreSQL's text form of a timestamptz ("2026-03-01 10:00:00.123456+00"), checked field by
 * field: a cursor is client input, and a value the cast rejects would otherwise be a 500.
 */
function isTimestampText(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?[+-](\d{2})(:[0-5]\d){0,2}$/.exec(value);
  if (!m) return false;
  const [y, mo, d, h, mi, s, , offset] = m.slice(1).map(Number) as number[];
  const day = new Date(Date.UTC(y!, mo! - 1, d!));
  return y! >= 1000 && day.getUTCMonth() === mo! - 1 && day.getUTCDate() === d! && h! < 24 && mi! < 60 && s! < 60 && offset! <= 15;
}

/** Keyset condition "after (value, id)" for the sort; NULL due dates sort last in both directions. */
function afterCursor(sort: TicketSort, cursor: string): SQL {
  const [value, id] = decodeCursor(cursor);
  const isDesc = sort.startsWith("-");
  const key = sort.replace("-", "") as keyof typeof sortColumns;
  const isValueOfSort = key === "priority" ? (ticketPriorities as readonly (string | null)[]).includes(value) : value === null || isTimestampText(value);
  if (!isValueOfSort) throw new AppError("BAD_REQUEST", "cursor is not valid for this sort", { field: "cursor" });
  const col = sortColumns[key];
  const cmp = isDesc ? lt : gt;
  if (value === null) return and(isNull(col), cmp(tickets.id, id))!;
  const typed = key === "priority" ? sql`${value}::ticket_priority` : sql`${value}::timestamptz`;
  return or(
    isDesc ? sql`${col} < ${typed}` : sql`${col} > ${typed}`,
    and(sql`${col} = ${typed}`, cmp(tickets.id, id)),
    isNull(col),
  )!;
}

const requester = alias(users, "requester");
// The search vector is an index input, never output: leaving it out cuts a queue page by a quarter.
const { searchVector: _searchVector, ...ticketColumns } = getTableColumns(tickets);
const assignee = alias(users, "assignee");

/** Tickets joined with the people and names a queue or a detail page shows. */
export function selectTicketRows(db: Executor, sortColumn: (typeof sortColumns)[keyof typeof sortColumns] = tickets.createdAt) {
  return db
    .select({
      // The sort value as PostgreSQL prints it: microsecond timestamps survive the cursor round trip.
      sortKey: sql<string | null>`${sortColumn}::text`,
      ticket: ticketColumns,
      requester: { id: requester.id, name: requester.name, email: requester.email },
      assignee: { id: assignee.id, name: assignee.name },
      organization: { id: organizations.id, name: organizations.name },
      team: { id: teams.id, name: teams.name },
    })
    .from(tickets)
    .innerJoin(requester, eq(requester.id, tickets.requesterId))
    .leftJoin(assignee, eq(assignee.id, tickets.assigneeId))
    .leftJoin(organizations, eq(organizations.id, tickets.organizationId))
    .leftJoin(teams, eq(teams.id, tickets.teamId))
    .$dynamic();
}

/**
 * The statement behind a page of tickets, unexecuted: listTickets runs it, and the benchmark
 * prints it (`.toSQL()`) so its raw-SQL baseline is exactly what the API sends.
 */
export function listTicketsQuery(db: Executor, actor: Actor, options: ListOptions) {
  const conditions = filterConditions(actor, options.filters);
  if (options.cursor) conditions.push(afterCursor(options.sort, options.cursor));
  const isDesc = options.sort.startsWith("-");
  const key = options.sort.replace("-", "") as keyof typeof sortColumns;
  const col = sortColumns[key];
  // Matches the indexes' (… DESC NULLS LAST, id DESC NULLS LAST), so no extra sort step.
  const order = isDesc ? [sql`${col} desc nulls last`, sql`${tickets.id} desc nulls last`] : [sql`${col} asc nulls last`, asc(tickets.id)];
  let where = scoped(actor, conditions.length ? and(...conditions) : undefined);
  if (options.filters.q) {
    // "text matches OR a message matches" can't use both GIN indexes at once, and over common
    // words the message side is too big to hash. Each side finds its own first page, then the
    // union (at most 2 × limit rows) is ordered once more.
    const base = where;
    const arm = (match: SQL) => db.select({ id: tickets.id }).from(tickets).where(and(base, match)).orderBy(...order).limit(options.limit + 1);
    const [own, viaMessage] = searchArms(actor, options.filters.q);
    where = sql`${tickets.id} in (select id from (${arm(own)}) own union select id from (${arm(viaMessage)}) via_message)`;
  }

  return selectTicketRows(db, col)
    .where(where)
    .orderBy(...order)
    .limit(options.limit + 1);
}

/** One page of tickets with the people and names a queue shows, in a single query. */
export async function listTickets(db: Executor, actor: Actor, options: ListOptions) {
  const rows = await listTicketsQuery(db, actor, options);

  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  let nextCursor: string | null = null;
  if (rows.length > options.limit && last) {
    nextCursor = encodeCursor(last.sortKey, last.ticket.id);
  }
  return { rows: page, nextCursor };
}

export type TicketListRow = Awaited<ReturnType<typeof listTickets>>["rows"][number];

