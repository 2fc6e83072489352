import { z } from "zod";
import type { JiraDeployment } from "./config.js";
import { JiraError } from "./errors.js";
import type { JiraTransport } from "./transport.js";
import type { JiraIssue } from "./types.js";

type CallOptions = { signal?: AbortSignal };

export type AttachmentDownload = { kind: "ok"; data: Uint8Array; contentType: string | null } | { kind: "too_large"; size: number | null };

/** A dynamic webhook as Jira lists it; `expiresAt` in epoch milliseconds. */
export type DynamicWebhook = { id: number; url: string | null; events: string[]; jqlFilter: string | null; expiresAt: number | null };
export type DynamicWebhookSpec = { events: string[]; jqlFilter: string };
export type RegistrationResult = { id: number } | { errors: string[] };

/**
 * The operations inbound attachments, the full pass for deleted issues and OAuth apps' dynamic
 * webhooks need, on the same transport (auth, SSRF check, timeout, cool-down) as the rest of the
 * client.
 */
export interface JiraExtraOps {
  /**
   * An attachment's bytes, at most `maxBytes` (a larger file is not read past the limit). Cloud:
   * `GET /rest/api/3/attachment/content/{id}?redirect=false`, which answers with the bytes instead
   * of a 303 to the media store (the transport follows no redirects, so no credential leaves the
   * site). Server/DC has no content operation in REST v2: its download servlet
   * `/secure/attachment/{id}/{filename}` (what `content` links to) is built from the id rather than
   * taken from the link, so credentials only ever go to the configured site.
   */
  downloadAttachment(attachment: { id: string; filename: string }, options: CallOptions & { maxBytes: number }): Promise<AttachmentDownload>;
  /** Which of these issue ids still exist for the Jira user (Cloud: bulk fetch, 100 a call; DC: one GET each). */
  existingIssueIds(ids: readonly string[], o?: CallOptions): Promise<Set<string>>;
  listDynamicWebhooks(o?: CallOptions): Promise<DynamicWebhook[]>;
  registerDynamicWebhooks(url: string, webhooks: DynamicWebhookSpec[], o?: CallOptions): Promise<RegistrationResult[]>;
  /** Extends the webhooks' life; returns the new expiry. Jira ignores ids it does not know. */
  refreshDynamicWebhooks(ids: readonly number[], o?: CallOptions): Promise<Date>;
  deleteDynamicWebhooks(ids: readonly number[], o?: CallOptions): Promise<void>;
}

const ZWebhookPage = z
  .object({
    isLast: z.boolean().optional(),
    total: z.number().optional(),
    values: z
      .array(
        z
          .object({
            id: z.number(),
            url: z.string().optional(),
            events: z.array(z.string()).default([]),
            jqlFilter: z.string().optional(),
            // int64 epoch ms in the schema; the spec's own example shows a date string, so read both.
            expirationDate: z.union([z.number(), z.string()]).optional(),
          })
          .loose(),
      )
      .default([]),
  })
  .loose();

const ZRegistration = z
  .object({ webhookRegistrationResult: z.array(z.object({ createdWebhookId: z.number().optional(), errors: z.array(z.string()).optional() }).loose()).default([]) })
  .loose();

function epochOf(value: number | string | undefined): number | null {
  if (typeof value === "number") return value;
  if (typeof value !== "string") return null;
  const ms = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));
  return Number.isNaN(ms) ? null : ms;
}

async function readLimited(res: Response, maxBytes: number): Promise<AttachmentDownload> {
  const declared = Number(res.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel();
    return { kind: "too_large", size: declared };
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = res.body?.getReader();
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel();
        return { kind: "too_large", size: Number.isFinite(declared) ? declared : null };
      }
      chunks.push(value);
    }
  }
  const data = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    data.set(c, at);
    at += c.byteLength;
  }
  return { kind: "ok", data, contentType: res.headers.get("content-type") };
}

export function createExtraOps(input: {
  transport: JiraTransport;
  deployment: JiraDeployment;
  api: string;
  getIssue: (idOrKey: string, o: CallOptions & { fields: string[] }) => Promise<JiraIssue>;
}): JiraExtraOps {
  const { transport, deployment, api } = input;
  const cloudOnly = (what: string) => {
    if (deployment !== "cloud") throw new JiraError("config_invalid", `${what} exists only on Jira Cloud (for OAuth apps)`);
  };

  return {
    async downloadAttachment(attachment, options) {
      const path =
        deployment === "cloud"
          ? `${api}/attachment/content/${encodeURIComponent(attachment.id)}`
          : `/secure/attachment/${encodeURIComponent(attachment.id)}/${encodeURIComponent(attachment.filename)}`;
      const res = await transport.raw({
        method: "GET",
        path,
        ...(deployment === "cloud" ? { query: { redirect: false } } : {}),
        headers: { accept: "*/*" },
        ...(options.signal ? { signal: options.signal } : {}),
      });
      return readLimited(res, options.maxBytes);
    },

    async existingIssueIds(ids, o = {}) {
      const found = new Set<string>();
      if (deployment === "cloud") {
        for (let i = 0; i < ids.length; i += 100) {
          const batch = ids.slice(i, i + 100);
          const page = await transport.request(
            { method: "POST", path: `${api}/issue/bulkfetch`, json: { issueIdsOrKeys: batch, fields: ["status"] }, ...o },
            z.object({ issues: z.array(z.object({ id: z.string() }).loose()).default([]), issueErrors: z.array(z.object({ id: z.string().optional(), errorMessage: z.string().optional() }).loose()).default([]) }).loose(),
          );
          for (const issue of page.issues) found.add(issue.id);
          // A retriable error on one issue says nothing about its existence: count it as present.
          for (const e of page.issueErrors) if (e.id) found.add(e.id);
        }
        return found;
      }
      for (const id of ids) {
        try {
          await input.getIssue(id, { fields: ["status"], ...o });
          found.add(id);
        } catch (e) {
          if (!(e instanceof JiraError && e.kind === "not_found")) throw e;
        }
      }
      return found;
    },

    async listDynamicWebhooks(o = {}) {
      cloudOnly("GET /rest/api/3/webhook");
      const all: DynamicWebhook[] = [];
      for (let startAt = 0; ; ) {
        const page = await transport.request({ method: "GET", path: `${api}/webhook`, query: { startAt, maxResults: 100 }, ...o }, ZWebhookPage);
        for (const w of page.values) all.push({ id: w.id, url: w.url ?? null, events: w.events, jqlFilter: w.jqlFilter ?? null, expiresAt: epochOf(w.expirationDate) });
        startAt += page.values.length;
        if (page.values.length === 0 || page.isLast !== false) return all;
      }
    },

    async registerDynamicWebhooks(url, webhooks, o = {}) {
      cloudOnly("POST /rest/api/3/webhook");
      const answer = await transport.request({ method: "POST", path: `${api}/webhook`, json: { url, webhooks }, ...o }, ZRegistration);
      return answer.webhookRegistrationResult.map((r) => (r.createdWebhookId !== undefined ? { id: r.createdWebhookId } : { errors: r.errors ?? ["Jira gave no reason"] }));
    },

    async refreshDynamicWebhooks(ids, o = {}) {
      cloudOnly("PUT /rest/api/3/webhook/refresh");
      const answer = await transport.request(
        { method: "PUT", path: `${api}/webhook/refresh`, json: { webhookIds: [...ids] }, ...o },
        z.object({ expirationDate: z.union([z.number(), z.string()]) }).loose(),
      );
      const at = epochOf(answer.expirationDate);
      if (at === null) throw new JiraError("bad_request", "PUT /rest/api/3/webhook/refresh: Jira's expirationDate is not a date");
      return new Date(at);
    },

    async deleteDynamicWebhooks(ids, o = {}) {
      cloudOnly("DELETE /rest/api/3/webhook");
      if (ids.length === 0) return;
      await transport.send({ method: "DELETE", path: `${api}/webhook`, json: { webhookIds: [...ids] }, ...o });
    },
  };
}
