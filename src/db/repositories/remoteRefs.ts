import { inArray, or, type Column, type SQL } from "drizzle-orm";

/** Rows naming any of these remote objects by id, or by key (stored upper-case); undefined for none. */
export function byRemoteIdOrKey(columns: { id: Column; key: Column }, ids: string[], keys: string[]): SQL | undefined {
  const upper = keys.map((k) => k.toUpperCase());
  return or(ids.length > 0 ? inArray(columns.id, ids) : undefined, upper.length > 0 ? inArray(columns.key, upper) : undefined);
}
