import { z } from "zod";
import { ticketPriorities } from "../../../domain/ticketPriority.js";
import { ticketStatuses } from "../../../domain/ticketStatus.js";
import { ticketSources } from "../../../domain/ticketNumber.js";

/** A ticket is addressed by uuid or by its number (SUP-00042). */
export const ZTicketParams = z.object({ id: z.string().min(1).max(64).describe("ticket uuid or number") });

export const ZSubject = z.string().trim().min(5).max(200);
export const ZDescription = z.string().trim().min(20).max(10_000);
export const ZCategory = z.string().trim().min(1).max(64).regex(/^[a-z0-9][a-z0-9_-]*$/, "lower-case letters, digits, - and _");
export const ZTag = z.string().trim().min(1).max(50);
export const ZTags = z.array(ZTag).max(50);
export const ZCustomFields = z.record(z.string().max(100), z.unknown()).refine((o) => JSON.stringify(o).length <= 16_384, "custom fields are limited to 16 KB");
export const ZStatus = z.enum(ticketStatuses);
export const ZPriority = z.enum(ticketPriorities);
export const ZSource = z.enum(ticketSources);

/** Query lists arrive as "a,b" or as repeated parameters. */
export const csvOf = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (v) => (typeof v === "string" ? v.split(",").map((s) => s.trim()).filter(Boolean) : v),
    z.array(item).max(20),
  );

export const ZLimit = z.coerce.number().int().min(1).max(200).default(50);
