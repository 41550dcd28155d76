import type { ProductRecord, VariantRecord } from "~/shopify/records/products";
import type { Db } from "./db-types.server";

/**
 * Products and their variants. Upserts are conditional on Shopify's `updatedAt`: a row is only
 * overwritten by data at least as new as what is stored, so a late webhook or a reconcile page
 * fetched before a newer webhook cannot roll a product back. Deleted products are soft-deleted
 * (order history keeps pointing at them) and never resurrected by a stale update.
 */

export interface UpsertResult {
  /** Records inserted or updated. */
  written: number;
  /** Records ignored because the stored row is newer (or deleted). */
  skipped: number;
}

/** Keeps the newest record per gid (a batch must not touch one row twice in ON CONFLICT). */
export function newestPerGid<T extends { gid: string; shopifyUpdated: string }>(records: T[]): T[] {
  const byGid = new Map<string, T>();
  for (const r of records) {
    const prev = byGid.get(r.gid);
    if (!prev || prev.shopifyUpdated <= r.shopifyUpdated) byGid.set(r.gid, r);
  }
  return [...byGid.values()];
}

/** Upserts products and, for each product actually written, its variants — in one round of statements. */
export async function upsertProducts(prisma: Db, shop: string, records: ProductRecord[]): Promise<UpsertResult> {
  if (records.length === 0) return { written: 0, skipped: 0 };
  const products = newestPerGid(records);
  const input = products.map((p) => ({
    gid: p.gid,
    title: p.title,
    handle: p.handle,
    productType: p.productType,
    vendor: p.vendor,
    tags: p.tags,
    collections: p.collections ?? [],
    hasCollections: p.collections !== undefined,
    status: p.status,
    publishedAt: p.publishedAt,
    isGiftCard: p.isGiftCard ?? false,
    hasGiftCard: p.isGiftCard !== undefined,
    shopifyCreated: p.shopifyCreated,
    shopifyUpdated: p.shopifyUpdated,
  }));
  const rows = await prisma.$queryRawUnsafe<{ gid: string }[]>(
    `WITH input AS (
       SELECT * FROM jsonb_to_recordset($2::jsonb) AS x(
         gid text, title text, handle text, "productType" text, vendor text, tags text[], collections text[],
         "hasCollections" boolean, status text, "publishedAt" timestamp(3), "isGiftCard" boolean, "hasGiftCard" boolean,
         "shopifyCreated" timestamp(3), "shopifyUpdated" timestamp(3))
     )
     INSERT INTO "Product" AS p (shop, gid, title, handle, "productType", vendor, tags, collections, status,
       "publishedAt", "isGiftCard", "shopifyCreated", "shopifyUpdated", "syncedAt")
     SELECT $1, gid, title, handle, "productType", vendor, tags, collections, status,
       "publishedAt", "isGiftCard", "shopifyCreated", "shopifyUpdated", now()
     FROM input
     ON CONFLICT (shop, gid) DO UPDATE SET
       title = EXCLUDED.title, handle = EXCLUDED.handle, "productType" = EXCLUDED."productType",
       vendor = EXCLUDED.vendor, tags = EXCLUDED.tags,
       collections = CASE WHEN (SELECT i."hasCollections" FROM input i WHERE i.gid = EXCLUDED.gid)
                          THEN EXCLUDED.collections ELSE p.collections END,
       status = EXCLUDED.status, "publishedAt" = EXCLUDED."publishedAt",
       "isGiftCard" = CASE WHEN (SELECT i."hasGiftCard" FROM input i WHERE i.gid = EXCLUDED.gid)
                           THEN EXCLUDED."isGiftCard" ELSE p."isGiftCard" END,
       -- LEAST: products/* webhooks may send "created_at": null (the mapper then uses updated_at).
       "shopifyCreated" = LEAST(p."shopifyCreated", EXCLUDED."shopifyCreated"), "shopifyUpdated" = EXCLUDED."shopifyUpdated", "syncedAt" = now()
     WHERE p."shopifyUpdated" <= EXCLUDED."shopifyUpdated" AND p."deletedAt" IS NULL
     RETURNING gid`,
    shop,
    JSON.stringify(input),
  );
  const written = new Set(rows.map((r) => r.gid));
  const accepted = products.filter((p) => written.has(p.gid));
  await writeVariants(prisma, shop, accepted);
  return { written: written.size, skipped: records.length - written.size };
}

async function writeVariants(prisma: Db, shop: string, products: ProductRecord[]) {
  const complete = products.filter((p) => p.variantsComplete);
  if (complete.length > 0) {
    // Variants removed in Shopify disappear from the product's full list.
    await prisma.$executeRawUnsafe(
      `DELETE FROM "Variant" v USING jsonb_to_recordset($2::jsonb) AS x("productGid" text, keep text[])
       WHERE v.shop = $1 AND v."productGid" = x."productGid" AND NOT (v.gid = ANY(x.keep))`,
      shop,
      JSON.stringify(complete.map((p) => ({ productGid: p.gid, keep: p.variants.map((v) => v.gid) }))),
    );
  }
  await upsertVariants(
    prisma,
    shop,
    products.flatMap((p) => p.variants),
  );
}

/**
 * Writes variants of products already stored (a bulk child line that arrived after its product
 * was written). Callers make sure each `productGid` exists (foreign key).
 */
export async function upsertVariants(prisma: Db, shop: string, variants: VariantRecord[]) {
  if (variants.length === 0) return;
  const input = newestPerGid(variants).map((v) => ({
    ...v,
    costMinor: v.costMinor ?? null,
    hasCost: v.costMinor !== undefined,
  }));
  await prisma.$executeRawUnsafe(
    `WITH input AS (
       SELECT * FROM jsonb_to_recordset($2::jsonb) AS x(
         gid text, "productGid" text, sku text, title text, "priceMinor" int, "compareAtMinor" int, "costMinor" int,
         "hasCost" boolean, "inventoryQty" int, "inventoryPolicy" text, "shopifyUpdated" timestamp(3))
     )
     INSERT INTO "Variant" AS v (shop, gid, "productGid", sku, title, "priceMinor", "compareAtMinor", "costMinor",
       "inventoryQty", "inventoryPolicy", "shopifyUpdated", "syncedAt")
     SELECT $1, gid, "productGid", sku, title, "priceMinor", "compareAtMinor", "costMinor",
       "inventoryQty", "inventoryPolicy", "shopifyUpdated", now()
     FROM input
     ON CONFLICT (shop, gid) DO UPDATE SET
       "productGid" = EXCLUDED."productGid", sku = EXCLUDED.sku, title = EXCLUDED.title,
       "priceMinor" = EXCLUDED."priceMinor", "compareAtMinor" = EXCLUDED."compareAtMinor",
       "costMinor" = CASE WHEN (SELECT i."hasCost" FROM input i WHERE i.gid = EXCLUDED.gid)
                          THEN EXCLUDED."costMinor" ELSE v."costMinor" END,
       "inventoryQty" = EXCLUDED."inventoryQty", "inventoryPolicy" = EXCLUDED."inventoryPolicy",
       "shopifyUpdated" = EXCLUDED."shopifyUpdated", "syncedAt" = now()`,
    shop,
    JSON.stringify(input),
  );
}

/** Adds collection titles to stored products (bulk collection lines that arrived after their product). */
export async function addProductCollections(
  prisma: Db,
  shop: string,
  entries: { productGid: string; title: string }[],
) {
  if (entries.length === 0) return;
  await prisma.$executeRawUnsafe(
    `UPDATE "Product" p SET collections = ARRAY(SELECT DISTINCT unnest(p.collections || x.titles))
     FROM (SELECT "productGid", array_agg(title) AS titles
           FROM jsonb_to_recordset($2::jsonb) AS y("productGid" text, title text) GROUP BY "productGid") x
     WHERE p.shop = $1 AND p.gid = x."productGid"`,
    shop,
    JSON.stringify(entries),
  );
}

/** Which of these product gids are stored for the shop. */
export async function existingProductGids(prisma: Db, shop: string, gids: string[]): Promise<Set<string>> {
  if (gids.length === 0) return new Set();
  const rows = await prisma.product.findMany({ where: { shop, gid: { in: gids } }, select: { gid: true } });
  return new Set(rows.map((r) => r.gid));
}

/** Marks a product deleted (products/delete carries only the id). Returns false when unknown. */
export async function softDeleteProduct(prisma: Db, shop: string, gid: string, deletedAt: Date): Promise<boolean> {
  const { count } = await prisma.product.updateMany({ where: { shop, gid, deletedAt: null }, data: { deletedAt } });
  return count > 0;
}

/** Row counts for the admin and tests (deleted products excluded unless asked). */
export async function countCatalog(prisma: Db, shop: string, opts: { includeDeleted?: boolean } = {}) {
  const [products, variants] = await Promise.all([
    prisma.product.count({ where: { shop, ...(opts.includeDeleted ? {} : { deletedAt: null }) } }),
    prisma.variant.count({ where: { shop, ...(opts.includeDeleted ? {} : { product: { deletedAt: null } }) } }),
  ]);
  return { products, variants };
}

/** A product as order-line matching needs it: title and variants' SKU and title. */
export interface ProductForLineMatching {
  gid: string;
  title: string;
  variants: { gid: string; sku: string | null; title: string }[];
}

/** The shop's live catalogue for joining imported order lines to variants (CSV orders-only imports). */
export async function listProductsForLineMatching(prisma: Db, shop: string): Promise<ProductForLineMatching[]> {
  return prisma.product.findMany({
    where: { shop, deletedAt: null },
    select: { gid: true, title: true, variants: { select: { gid: true, sku: true, title: true } } },
  });
}
