import { z } from "zod";
import type { ExternalLinkRow } from "../db/repositories/externalLinks.js";

export const ZExternalLink = z
  .object({
    id: z.uuid(),
    system: z.string().meta({ description: "jira, …" }),
    remoteId: z.string(),
    remoteKey: z.string().nullable(),
    remoteUrl: z.string().nullable(),
    remoteStatus: z.string().nullable().meta({ description: "The remote object's status name as last synced." }),
    lastSyncedAt: z.iso.datetime().nullable(),
    lastError: z.string().nullable().meta({ description: "Why the last sync of this link failed; null when it worked." }),
    connectionStatus: z.string().meta({ description: "Anything but active means sync waits for an admin." }),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "ExternalLink" });

export function presentExternalLink(row: { link: ExternalLinkRow; system: string; connectionStatus: string }): z.infer<typeof ZExternalLink> {
  const { link } = row;
  return {
    id: link.id,
    system: row.system,
    remoteId: link.remoteId,
    remoteKey: link.remoteKey,
    remoteUrl: link.remoteUrl,
    remoteStatus: link.remoteStatus,
    lastSyncedAt: link.lastSyncedAt ? link.lastSyncedAt.toISOString() : null,
    lastError: link.lastError,
    connectionStatus: row.connectionStatus,
    createdAt: link.createdAt.toISOString(),
  };
}
