import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Request (and response) checking against the trimmed vendor OpenAPI 3.0 documents in
 * test/contracts/jira/specs. A small validator of our own rather than a library: it covers exactly the
 * keywords those documents use and throws on any other, so a regenerated spec can never be
 * checked by silently skipping a keyword.
 */

export type Schema = Record<string, unknown>;
type Parameter = { name: string; in: "path" | "query" | "header" | "cookie"; required?: boolean; schema?: Schema };
export type OperationObject = {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: Schema }> };
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
  security?: Record<string, string[]>[];
  deprecated?: boolean;
};
type OpenApiDocument = { paths: Record<string, Record<string, OperationObject>>; components: { schemas: Record<string, Schema>; securitySchemes: Record<string, Schema> } };

export type SpecOperation = { method: string; template: string; operation: OperationObject; doc: SpecDocument };

const ignoredKeywords = new Set(["description", "default", "example", "xml", "deprecated", "title", "externalDocs"]);
const handledKeywords = new Set([
  "$ref", "type", "properties", "additionalProperties", "items", "allOf", "enum", "required",
  "maxLength", "maximum", "uniqueItems", "nullable", "readOnly", "writeOnly", "format",
]);

const here = dirname(fileURLToPath(import.meta.url));

export class SpecDocument {
  private readonly compiled: { method: string; template: string; regex: RegExp; names: string[]; literal: number; operation: OperationObject }[] = [];

  constructor(
    readonly name: string,
    readonly doc: OpenApiDocument,
  ) {
    for (const [template, item] of Object.entries(doc.paths)) {
      const names: string[] = [];
      const pattern = template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\?\{([^}]+)\\?\}/g, (_m, name: string) => {
        names.push(name);
        return "([^/]+)";
      });
      const literal = template.split("/").filter((s) => s && !s.startsWith("{")).length;
      for (const [method, operation] of Object.entries(item)) {
        this.compiled.push({ method: method.toUpperCase(), template, regex: new RegExp(`^${pattern}$`), names, literal, operation });
      }
    }
    // Literal segments first, so `/issue/createmeta/{p}/issuetypes` beats `/issue/{issueIdOrKey}/…`.
    this.compiled.sort((a, b) => b.literal - a.literal);
  }

  static load(file: string, name: string): SpecDocument {
    return new SpecDocument(name, JSON.parse(readFileSync(join(here, "..", "..", "contracts", "jira", "specs", file), "utf8")) as OpenApiDocument);
  }

  /** The operation for a method and a concrete path, or why there is none (404 vs 405). */
  match(method: string, path: string): { operation: SpecOperation; params: Record<string, string> } | { error: "no_path" | "no_method" } {
    let pathMatched = false;
    for (const c of this.compiled) {
      const m = c.regex.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (c.method !== method.toUpperCase()) continue;
      const params: Record<string, string> = {};
      c.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1]!)));
      return { operation: { method: c.method, template: c.template, operation: c.operation, doc: this }, params };
    }
    return { error: pathMatched ? "no_method" : "no_path" };
  }

  resolve(schema: Schema): Schema {
    const ref = schema.$ref;
    if (typeof ref !== "string") return schema;
    const name = ref.replace("#/components/schemas/", "");
    const target = this.doc.components.schemas[name];
    if (!target) throw new Error(`${this.name}: unresolved ${ref}`);
    return target;
  }

  /** Problems with `value` against `schema`, as `path: message` strings. */
  validate(schema: Schema | undefined, value: unknown, direction: "request" | "response", path = "$"): string[] {
    if (!schema) return [];
    for (const key of Object.keys(schema)) {
      if (!ignoredKeywords.has(key) && !handledKeywords.has(key)) throw new Error(`${this.name}: schema keyword "${key}" at ${path} is not supported by the fake's validator`);
    }
    if (typeof schema.$ref === "string") return this.validate(this.resolve(schema), value, direction, path);
    const problems: string[] = [];
    if (Array.isArray(schema.allOf)) for (const part of schema.allOf as Schema[]) problems.push(...this.validate(part, value, direction, path));
    if (value === null) return schema.nullable === true || schema.type === undefined ? problems : [...problems, `${path}: must not be null`];
    const type = schema.type as string | undefined;
    const actual = Array.isArray(value) ? "array" : Number.isInteger(value) ? "integer" : typeof value;
    if (type) {
      const ok = type === actual || (type === "number" && (actual === "integer" || actual === "number")) || (type === "object" && actual === "object");
      if (!ok) return [...problems, `${path}: must be ${type}, got ${actual}`];
    }
    if (Array.isArray(schema.enum) && !schema.enum.includes(value)) problems.push(`${path}: must be one of ${JSON.stringify(schema.enum)}`);
    if (typeof value === "string") {
      if (typeof schema.maxLength === "number" && value.length > schema.maxLength) problems.push(`${path}: longer than ${schema.maxLength}`);
      if (schema.format === "date-time" && Number.isNaN(Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, "$1:$2")))) problems.push(`${path}: not a date-time`);
      if (schema.format === "uuid" && !/^[0-9a-f-]{36}$/i.test(value)) problems.push(`${path}: not a uuid`);
    }
    if (typeof value === "number") {
      if (typeof schema.maximum === "number" && value > schema.maximum) problems.push(`${path}: above ${schema.maximum}`);
      if (schema.format === "int32" && (value > 2 ** 31 - 1 || value < -(2 ** 31))) problems.push(`${path}: outside int32`);
    }
    if (Array.isArray(value)) {
      if (schema.uniqueItems === true && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) problems.push(`${path}: items must be unique`);
      if (schema.items) value.forEach((item, i) => problems.push(...this.validate(schema.items as Schema, item, direction, `${path}[${i}]`)));
    }
    if (actual === "object" && !Array.isArray(value) && (type === "object" || schema.properties || schema.additionalProperties !== undefined)) {
      const record = value as Record<string, unknown>;
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      for (const required of (schema.required ?? []) as string[]) if (!(required in record)) problems.push(`${path}.${required}: required`);
      for (const [key, v] of Object.entries(record)) {
        const propSchema = properties[key];
        if (propSchema) {
          if (direction === "request" && this.flag(propSchema, "readOnly")) problems.push(`${path}.${key}: read-only, must not be sent`);
          if (direction === "response" && this.flag(propSchema, "writeOnly")) problems.push(`${path}.${key}: write-only, must not be answered`);
          problems.push(...this.validate(propSchema, v, direction, `${path}.${key}`));
        } else if (schema.additionalProperties === false) {
          problems.push(`${path}.${key}: not a property of this schema`);
        } else if (typeof schema.additionalProperties === "object" && schema.additionalProperties !== null) {
          problems.push(...this.validate(schema.additionalProperties as Schema, v, direction, `${path}.${key}`));
        }
      }
    }
    return problems;
  }

  private flag(schema: Schema, name: "readOnly" | "writeOnly"): boolean {
    if (schema[name] === true) return true;
    if (typeof schema.$ref === "string") return this.flag(this.resolve(schema), name);
    return false;
  }

  /** Problems with the query string against the operation's declared query parameters. */
  validateQuery(operation: OperationObject, query: URLSearchParams): string[] {
    const problems: string[] = [];
    const declared = new Map((operation.parameters ?? []).filter((p) => p.in === "query").map((p) => [p.name, p]));
    for (const name of new Set(query.keys())) {
      const parameter = declared.get(name);
      if (!parameter) {
        problems.push(`query parameter "${name}" is not declared for ${operation.operationId}`);
        continue;
      }
      const schema = this.resolve(parameter.schema ?? {});
      const values = query.getAll(name);
      const items = schema.type === "array" ? values.flatMap((v) => v.split(",")) : values;
      const itemSchema = schema.type === "array" ? this.resolve((schema.items ?? {}) as Schema) : schema;
      if (schema.type !== "array" && values.length > 1) problems.push(`query parameter "${name}" given ${values.length} times`);
      for (const raw of items) {
        if (itemSchema.type === "boolean" && raw !== "true" && raw !== "false") problems.push(`query parameter "${name}": "${raw}" is not a boolean`);
        if (itemSchema.type === "integer" && !/^-?\d+$/.test(raw)) problems.push(`query parameter "${name}": "${raw}" is not an integer`);
        if (typeof itemSchema.maximum === "number" && Number(raw) > itemSchema.maximum) problems.push(`query parameter "${name}": above ${itemSchema.maximum}`);
        if (Array.isArray(itemSchema.enum) && !itemSchema.enum.includes(raw)) problems.push(`query parameter "${name}": "${raw}" is not one of ${itemSchema.enum.join(", ")}`);
      }
    }
    for (const p of operation.parameters ?? []) {
      if (p.in === "query" && p.required && !query.has(p.name)) problems.push(`query parameter "${p.name}" is required`);
    }
    return problems;
  }

  /** Which security schemes the operation accepts (`basicAuth`, `OAuth2`), with scopes. */
  security(operation: OperationObject): Record<string, string[]>[] {
    return operation.security ?? [];
  }
}

let platform: SpecDocument | undefined;
let serviceDesk: SpecDocument | undefined;
export const platformSpec = () => (platform ??= SpecDocument.load("jira-cloud-platform-v3.trimmed.json", "Jira platform v3"));
export const serviceDeskSpec = () => (serviceDesk ??= SpecDocument.load("jira-service-management-cloud.trimmed.json", "JSM"));
