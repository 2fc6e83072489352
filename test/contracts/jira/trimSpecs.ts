/**
 * Regenerates the trimmed vendor specs in ./specs from the full documents in the shared vendor
 * folder. Tests read only the trimmed copies, so the repository never depends on that folder at
 * run time. Run after changing the operation list:
 *
 *   npx tsx test/contracts/jira/trimSpecs.ts /work/shared/vendor/specs
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** The platform operations the connector or its fake use, as [method, path]. */
export const platformOperations: readonly (readonly [string, string])[] = [
  ["post", "/rest/api/3/issue"],
  ["get", "/rest/api/3/issue/{issueIdOrKey}"],
  ["put", "/rest/api/3/issue/{issueIdOrKey}"],
  ["get", "/rest/api/3/search/jql"],
  ["post", "/rest/api/3/search/jql"],
  // Removed from Cloud (PROTOCOLS.md §1.2) but the shape Server/DC's /rest/api/2/search still has.
  ["get", "/rest/api/3/search"],
  ["post", "/rest/api/3/search"],
  ["get", "/rest/api/3/issue/{issueIdOrKey}/comment"],
  ["post", "/rest/api/3/issue/{issueIdOrKey}/comment"],
  ["get", "/rest/api/3/issue/{issueIdOrKey}/comment/{id}"],
  ["put", "/rest/api/3/issue/{issueIdOrKey}/comment/{id}"],
  ["delete", "/rest/api/3/issue/{issueIdOrKey}/comment/{id}"],
  ["get", "/rest/api/3/issue/{issueIdOrKey}/transitions"],
  ["post", "/rest/api/3/issue/{issueIdOrKey}/transitions"],
  ["post", "/rest/api/3/issue/{issueIdOrKey}/attachments"],
  ["get", "/rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}"],
  ["put", "/rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}"],
  ["get", "/rest/api/3/myself"],
  ["get", "/rest/api/3/project/{projectIdOrKey}"],
  ["get", "/rest/api/3/project/{projectIdOrKey}/statuses"],
  ["get", "/rest/api/3/issue/createmeta/{projectIdOrKey}/issuetypes"],
  ["get", "/rest/api/3/issue/createmeta/{projectIdOrKey}/issuetypes/{issueTypeId}"],
  ["get", "/rest/api/3/serverInfo"],
  // Inbound attachments (bytes), the full pass for deleted issues, and OAuth apps' dynamic webhooks.
  ["get", "/rest/api/3/attachment/content/{id}"],
  ["post", "/rest/api/3/issue/bulkfetch"],
  ["post", "/rest/api/3/webhook"],
  ["get", "/rest/api/3/webhook"],
  ["delete", "/rest/api/3/webhook"],
  ["put", "/rest/api/3/webhook/refresh"],
];

export const serviceDeskOperations: readonly (readonly [string, string])[] = [
  ["get", "/rest/servicedeskapi/request/{issueIdOrKey}/comment"],
  ["post", "/rest/servicedeskapi/request/{issueIdOrKey}/comment"],
];

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Keeps the listed operations and every component schema they reach through $ref. */
function trim(spec: JsonObject, operations: readonly (readonly [string, string])[], source: string): JsonObject {
  const allPaths = spec.paths as JsonObject;
  const schemas = (spec.components as JsonObject).schemas as JsonObject;
  const paths: JsonObject = {};
  const keep = new Set<string>();
  const visit = (node: Json | undefined): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!isObject(node)) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") {
        const name = value.replace("#/components/schemas/", "");
        if (!keep.has(name)) {
          keep.add(name);
          visit(schemas[name]);
        }
      } else visit(value);
    }
  };
  for (const [method, path] of operations) {
    const item = allPaths[path];
    if (!isObject(item) || !isObject(item[method])) throw new Error(`${method} ${path} is not in ${source}`);
    const target = (paths[path] ??= {}) as JsonObject;
    target[method] = item[method]!;
    visit(item[method]);
  }
  const components = spec.components as JsonObject;
  return {
    openapi: spec.openapi!,
    info: { ...(spec.info as JsonObject), "x-trimmed-from": source, "x-trimmed-by": "test/contracts/jira/trimSpecs.ts" },
    servers: spec.servers ?? [],
    paths,
    components: {
      securitySchemes: components.securitySchemes!,
      schemas: Object.fromEntries([...keep].sort().map((name) => [name, schemas[name]!])),
    },
  };
}

const vendorDir = process.argv[2];
if (!vendorDir) throw new Error("usage: trimSpecs.ts <vendor specs dir>");
const here = dirname(fileURLToPath(import.meta.url));
for (const [file, operations] of [
  ["jira-cloud-platform-v3.openapi.json", platformOperations],
  ["jira-service-management-cloud.openapi.json", serviceDeskOperations],
] as const) {
  const spec = JSON.parse(readFileSync(join(vendorDir, file), "utf8")) as JsonObject;
  const trimmed = trim(spec, operations, `specs/${file}`);
  writeFileSync(join(here, "specs", file.replace(".openapi.json", ".trimmed.json")), `${JSON.stringify(trimmed, null, 1)}\n`);
}
