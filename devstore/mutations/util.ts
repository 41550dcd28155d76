/** Helpers shared by mutation resolvers. */
import type { GraphqlContext } from "../runtime.js";

export interface UserError {
  field: string[] | null;
  message: string;
  code?: string | null;
}

/** ISO timestamp of the stand-in clock (mutations stamp createdAt/updatedAt with it). */
export function nowIso(ctx: GraphqlContext): string {
  return new Date(ctx.runtime.clock()).toISOString();
}

/**
 * Shopify splits tag strings on commas and trims them; tags are unique case-insensitively and
 * keep their first spelling.
 */
export function normalizeTags(input: string[]): string[] {
  return input
    .flatMap((t) => t.split(","))
    .map((t) => t.trim())
    .filter(Boolean);
}
