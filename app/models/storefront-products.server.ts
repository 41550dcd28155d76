import type { Db } from "./db-types.server";

/** Storefront eligibility of products (docs/contracts.md §6): which may be recommended, and what a shopper sees of them. */

/** What the storefront needs to know about a candidate product. */
export interface StorefrontProduct {
  gid: string;
  handle: string;
  title: string;
  /** First variant that can be bought now (in stock, or continue-selling), else null. */
  variantGid: string | null;
  /** Lowest positive variant price, in minor units. */
  priceMinor: number;
  /** Some variant is in stock or allows continue-selling. */
  available: boolean;
}

/**
 * The products among `gids` that may ever be recommended: active, published to the online store,
 * not deleted, not a gift card, with a variant priced above zero. Stock is reported separately
 * (`available`) because it changes between scoring runs: metafields keep out-of-stock items (Liquid
 * re-checks `product.available` at render time) while the app proxy drops them.
 */
export async function findStorefrontProducts(
  db: Db,
  shop: string,
  gids: string[] | "all",
): Promise<Map<string, StorefrontProduct>> {
  const out = new Map<string, StorefrontProduct>();
  if (gids !== "all" && gids.length === 0) return out;
  // One statement (the proxy's hot path): Prisma's include would add a second round trip and a
  // tuple-IN on Variant that PGlite scans.
  const rows = await db.$queryRawUnsafe<
    { gid: string; handle: string; title: string; price: number; variant: string | null }[]
  >(
    `SELECT p.gid, p.handle, p.title,
            min(v."priceMinor") FILTER (WHERE v."priceMinor" > 0) AS price,
            (array_agg(v.gid ORDER BY v.gid) FILTER (
               WHERE v."priceMinor" > 0 AND (v."inventoryQty" > 0 OR v."inventoryPolicy" = 'CONTINUE')))[1] AS variant
       FROM "Product" p
       JOIN "Variant" v ON v.shop = p.shop AND v."productGid" = p.gid
      WHERE p.shop = $1 AND ($2::text[] IS NULL OR p.gid = ANY($2::text[]))
        AND p.status = 'ACTIVE' AND p."publishedAt" IS NOT NULL AND p."deletedAt" IS NULL AND NOT p."isGiftCard"
      GROUP BY p.gid, p.handle, p.title
     HAVING min(v."priceMinor") FILTER (WHERE v."priceMinor" > 0) IS NOT NULL`,
    shop,
    gids === "all" ? null : [...new Set(gids)],
  );
  for (const r of rows) {
    out.set(r.gid, {
      gid: r.gid,
      handle: r.handle,
      title: r.title,
      variantGid: r.variant,
      priceMinor: Number(r.price),
      available: r.variant !== null,
    });
  }
  return out;
}
