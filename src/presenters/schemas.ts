import { z } from "zod";
import { ticketPriorities } from "../domain/ticketPriority.js";
import { ticketStatuses } from "../domain/ticketStatus.js";
import { ticketSources } from "../domain/ticketNumber.js";

// guid, not uuid: the system user (…-0001, the author of automatic changes and connector notes) is not an RFC 9562 uuid.
export const ZPersonRef = z.object({ id: z.guid(), name: z.string() });
export const ZNamedRef = z.object({ id: z.uuid(), name: z.string() });

export const ZTicket = z
  .object({
    id: z.uuid(),
    number: z.string(),
    subject: z.string(),
    description: z.string(),
    status: z.enum(ticketStatuses),
    priority: z.enum(ticketPriorities),
    category: z.string(),
    source: z.enum(ticketSources),
    tags: z.array(z.string()).optional(),
    requester: ZPersonRef.extend({ email: z.string() }),
    organization: ZNamedRef.nullable(),
    assignee: ZPersonRef.nullable(),
    team: ZNamedRef.nullable().optional(),
    customFields: z.record(z.string(), z.unknown()).optional(),
    isEscalated: z.boolean().optional(),
    mergedIntoId: z.uuid().nullable(),
    slaDueAt: z.iso.datetime().nullable(),
    firstRespondedAt: z.iso.datetime().nullable(),
    resolvedAt: z.iso.datetime().nullable(),
    closedAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: "Ticket", description: "Staff-only fields (tags, team, customFields, isEscalated) are absent for customers." });
export type Ticket = z.infer<typeof ZTicket>;

export const ZAttachment = z
  .object({
    id: z.uuid(),
    ticketId: z.uuid(),
    messageId: z.uuid().nullable(),
    filename: z.string(),
    contentType: z.string(),
    sizeBytes: z.number().int(),
    sha256: z.string(),
    internal: z.boolean(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "Attachment" });
export type Attachment = z.infer<typeof ZAttachment>;

export const ZMessage = z
  .object({
    id: z.uuid(),
    ticketId: z.uuid(),
    author: ZPersonRef.extend({ role: z.enum(["admin", "agent", "customer"]) }).nullable(),
    body: z.string(),
    internal: z.boolean(),
    channel: z.string(),
    createdAt: z.iso.datetime(),
    attachments: z.array(ZAttachment),
  })
  .meta({ id: "Message" });
export type Message = z.infer<typeof ZMessage>;

export const ZTicketDetail = ZTicket.extend({ messages: z.array(ZMessage) }).meta({ id: "TicketDetail" });

export const ZTicketEvent = z
  .object({
    id: z.number().int(),
    type: z.string(),
    field: z.string().nullable(),
    from: z.unknown(),
    to: z.unknown(),
    actor: ZPersonRef.nullable(),
    channel: z.string(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "TicketEvent" });

export const ZUser = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    role: z.enum(["admin", "agent", "customer"]),
    organizationId: z.uuid().nullable(),
    isOrgManager: z.boolean(),
    isActive: z.boolean(),
    hasPassword: z.boolean(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "User" });

export const ZTeam = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string(),
    members: z.array(z.object({ userId: z.uuid(), name: z.string(), isLead: z.boolean() })),
  })
  .meta({ id: "Team" });

export const ZOrganization = z
  .object({
    id: z.uuid(),
    name: z.string(),
    slug: z.string(),
    domain: z.string().nullable(),
    /** The customer-success manager, who hears about the organization's Jira issues. */
    ownerId: z.uuid().nullable(),
    /** How the Jira connector finds the organization's issues, when not by the connection's default. */
    jiraMatch: z.object({ strategy: z.enum(["label", "custom_field", "component", "jql"]), value: z.string() }).nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "Organization" });

export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const ZProblem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    code: z.string(),
    instance: z.string().optional(),
  })
  .catchall(z.unknown())
  .meta({ id: "Problem", description: "RFC 9457 problem details; `code` is stable." });
