import { organizations } from "../../db/schema/index.js";
import type { Db } from "../../db/client.js";
import { isUniqueViolation } from "../../db/isUniqueViolation.js";
import { AppError } from "../../errors.js";

export function slugify(name: string): string {
  return name.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60) || "org";
}

export async function createOrganization(options: { db: Db; name: string; slug?: string | undefined; domain?: string | undefined }) {
  try {
    const [row] = await options.db
      .insert(organizations)
      .values({ name: options.name, slug: options.slug ?? slugify(options.name), domain: options.domain ?? null })
      .returning();
    return row!;
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("CONFLICT", "an organization with this slug exists", { field: "slug" });
    throw e;
  }
}
