import { z } from "zod";

/**
 * Facts kept in `external_links.snapshot` beside the sync snapshot (linkSnapshot.ts), under keys of
 * their own: the Jira attachments a link has dealt with, and the mark of an issue deleted in Jira.
 * No schema change: the snapshot is jsonb and every writer keeps keys it does not own.
 */

/** Remote attachment ids already handled for this link: imported, noted, ours, or there before the link. */
const ZAttachments = z.object({ seen: z.array(z.string()) });
const ZDeleted = z.object({ at: z.string(), key: z.string().nullable() });

export type DeletedInJira = z.infer<typeof ZDeleted>;

/** The ids handled so far; null when the link has never recorded its attachments (linked before this existed). */
export function seenAttachments(snapshot: unknown): Set<string> | null {
  const parsed = ZAttachments.safeParse((snapshot as { attachments?: unknown } | null)?.attachments);
  return parsed.success ? new Set(parsed.data.seen) : null;
}

export function withSeenAttachments(snapshot: Record<string, unknown>, seen: Iterable<string>): Record<string, unknown> {
  return { ...snapshot, attachments: { seen: [...new Set(seen)].sort() } };
}

/**
 * The `attachments` part for a link's first snapshot: every file on the issue then is the issue's
 * past, or (after an escalation) our own upload, and must never come back as news.
 */
export function attachmentBaseline(fields: Record<string, unknown>): { attachments: { seen: string[] } } {
  return { attachments: { seen: issueAttachments(fields).map((a) => a.id).sort() } };
}

export function deletedInJira(snapshot: unknown): DeletedInJira | null {
  const parsed = ZDeleted.safeParse((snapshot as { deletedInJira?: unknown } | null)?.deletedInJira);
  return parsed.success ? parsed.data : null;
}

/** A link whose issue was found deleted by the full pass: nothing syncs it any more. */
export const isDeletedInJira = (snapshot: unknown): boolean => deletedInJira(snapshot) !== null;

export type IssueAttachment = { id: string; filename: string; size: number | null; created: string | null; authorName: string | null };

const ZIssueAttachment = z
  .object({
    id: z.union([z.string(), z.number()]).transform(String),
    filename: z.string(),
    size: z.number().optional(),
    created: z.string().optional(),
    author: z.object({ displayName: z.string().optional(), name: z.string().optional() }).loose().optional(),
  })
  .loose();

/** `fields.attachment` of an issue, read loosely (an entry that does not parse is skipped). */
export function issueAttachments(fields: Record<string, unknown>): IssueAttachment[] {
  const list = fields.attachment;
  if (!Array.isArray(list)) return [];
  return list.flatMap((item) => {
    const a = ZIssueAttachment.safeParse(item);
    if (!a.success) return [];
    return [{ id: a.data.id, filename: a.data.filename, size: a.data.size ?? null, created: a.data.created ?? null, authorName: a.data.author?.displayName ?? a.data.author?.name ?? null }];
  });
}
