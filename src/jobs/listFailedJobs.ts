import { JOBS_SCHEMA, type JobQueue } from "./queue.js";
import { redactSecrets } from "./redactSecrets.js";

/**
 * A job an admin may need to act on. `dead`: it failed for good and waits in its dead-letter
 * queue for a retry or a discard. `retrying`: it failed and waits for its next attempt.
 */
export type FailedJob = {
  id: string;
  /** The job's name (for a dead job, the queue it failed on). */
  name: string;
  state: "dead" | "retrying";
  /** Secret-looking keys redacted. */
  payload: unknown;
  lastError: string | null;
  /** Runs so far, the failed ones included. */
  attempts: number;
  /** When it was first enqueued. */
  createdAt: Date;
  deadLetteredAt: Date | null;
  nextAttemptAt: Date | null;
};

type JobRow = {
  id: string;
  name: string;
  state: string;
  data: unknown;
  output: unknown;
  retry_count: number;
  created_on: Date;
  start_after: Date;
  source_name: string | null;
  source_output: unknown;
  source_retry_count: number | null;
  source_created_on: Date | null;
  sort_key: string;
};

const COLUMNS = `id, name, state::text, data, output, retry_count, created_on, start_after, source_name,
  source_output, source_retry_count, source_created_on, created_on::text as sort_key`;

/** pg-boss writes `{ message }` for our failures and `{ value: { message } }` for its own (a timeout). */
function messageOf(output: unknown): string | null {
  if (output === null || typeof output !== "object") return output === null || output === undefined ? null : String(output);
  const o = output as { message?: unknown; value?: { message?: unknown } };
  if (typeof o.message === "string") return o.message;
  if (typeof o.value?.message === "string") return o.value.message;
  return JSON.stringify(output);
}

function toFailedJob(row: JobRow): FailedJob {
  const isDead = row.source_name !== null;
  return {
    id: row.id,
    name: isDead ? row.source_name! : row.name,
    state: isDead ? "dead" : "retrying",
    payload: redactSecrets(row.data),
    lastError: messageOf(isDead ? row.source_output : row.output),
    attempts: (isDead ? (row.source_retry_count ?? 0) : row.retry_count) + 1,
    createdAt: new Date(isDead ? (row.source_created_on ?? row.created_on) : row.created_on),
    deadLetteredAt: isDead ? new Date(row.created_on) : null,
    nextAttemptAt: isDead ? null : new Date(row.start_after),
  };
}

/** Which pg-boss queues hold a dead or retrying job of this process's job definitions. */
function queueNames(queue: JobQueue) {
  const defs = [...queue.definitions.values()];
  return { live: defs.map((d) => d.name), dead: [...new Set(defs.map((d) => d.deadLetter))] };
}

const encodeCursor = (row: JobRow) => Buffer.from(`${row.sort_key}|${row.id}`).toString("base64url");
function decodeCursor(cursor: string): [string, string] | undefined {
  const [sortKey, id] = Buffer.from(cursor, "base64url").toString().split("|");
  return sortKey && id && /^[0-9a-f-]{36}$/i.test(id) && !Number.isNaN(Date.parse(sortKey)) ? [sortKey, id] : undefined;
}

export type FailedJobFilter = { state?: "dead" | "retrying" | undefined; name?: string | undefined; cursor?: string | undefined; limit: number };

/**
 * Dead-lettered and retrying jobs, newest first, with keyset pagination. Reads pg-boss's job
 * table directly: pg-boss has no listing across queues, and this is one indexed query.
 */
export async function listFailedJobs(queue: JobQueue, filter: FailedJobFilter): Promise<{ items: FailedJob[]; nextCursor: string | null }> {
  const names = queueNames(queue);
  const named = filter.name ? queue.definitions.get(filter.name) : undefined;
  if (filter.name && !named) return { items: [], nextCursor: null };
  // A dead job sits in its dead-letter queue, and its own name is in source_name ($5).
  const dead = filter.state === "retrying" ? [] : named ? [named.deadLetter] : names.dead;
  const live = filter.state === "dead" ? [] : named ? [named.name] : names.live;
  const after = filter.cursor ? decodeCursor(filter.cursor) : undefined;
  const { rows } = await queue.boss.getDb().executeSql(
    `SELECT ${COLUMNS} FROM ${JOBS_SCHEMA}.job
      WHERE ((name = ANY($1::text[]) AND state = 'created' AND ($5::text IS NULL OR source_name = $5))
          OR (name = ANY($2::text[]) AND state = 'retry'))
        AND ($3::timestamptz IS NULL OR (created_on, id) < ($3::timestamptz, $4::uuid))
      ORDER BY created_on DESC, id DESC
      LIMIT $6`,
    [dead, live, after?.[0] ?? null, after?.[1] ?? null, filter.name ?? null, filter.limit + 1],
  );
  const page = (rows as JobRow[]).slice(0, filter.limit);
  return { items: page.map(toFailedJob), nextCursor: rows.length > filter.limit ? encodeCursor(page[page.length - 1]!) : null };
}

/** One job by id among this process's queues, whatever its state; undefined when unknown. */
export async function findJob(queue: JobQueue, id: string): Promise<{ id: string; queueName: string; state: string; failed?: FailedJob } | undefined> {
  const names = queueNames(queue);
  const { rows } = await queue.boss.getDb().executeSql(`SELECT ${COLUMNS} FROM ${JOBS_SCHEMA}.job WHERE name = ANY($1::text[]) AND id = $2::uuid`, [
    [...names.live, ...names.dead],
    id,
  ]);
  const row = rows[0] as JobRow | undefined;
  if (!row) return undefined;
  const isFailed = (row.source_name !== null && row.state === "created") || row.state === "retry";
  return { id: row.id, queueName: row.name, state: row.state, ...(isFailed ? { failed: toFailedJob(row) } : {}) };
}
