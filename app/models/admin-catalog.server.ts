import type { Db } from "./db-types.server";

/** Read model for the admin's product search and recommendation coverage. */

export interface ProductSummary {
  gid: string;
  title: string;
  handle: string;
  status: string;
  priceMinor: number | null;
  inventory: number;
}

/** Products whose title or handle contains `query` (case-insensitive), best-selling first. */
export async function searchProducts(db: Db, shop: string, query: string, take = 10): Promise<ProductSummary[]> {
  const q = query.trim();
  const rows = await db.$queryRawUnsafe<
    {
      gid: string;
      title: string;
      handle: string;
      status: string;
      price: number | null;
      inventory: number;
      sold: number;
    }[]
  >(
    `SELECT p.gid, p.title, p.handle, p.status,
            (SELECT min(v."priceMinor") FROM "Variant" v WHERE v.shop = p.shop AND v."productGid" = p.gid)::int AS price,
            (SELECT coalesce(sum(greatest(v."inventoryQty", 0)), 0) FROM "Variant" v WHERE v.shop = p.shop AND v."productGid" = p.gid)::int AS inventory,
            (SELECT count(*) FROM "OrderLine" l WHERE l.shop = p.shop AND l."productGid" = p.gid)::int AS sold
       FROM "Product" p
      WHERE p.shop = $1 AND p."deletedAt" IS NULL
        AND ($2 = '' OR p.title ILIKE '%' || $2 || '%' OR p.handle ILIKE '%' || $2 || '%')
      ORDER BY sold DESC, p.title ASC
      LIMIT $3`,
    shop,
    escapeLike(q),
    take,
  );
  return rows.map((r) => ({
    gid: r.gid,
    title: r.title,
    handle: r.handle,
    status: r.status,
    priceMinor: r.price === null ? null : Number(r.price),
    inventory: Number(r.inventory),
  }));
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function getProductSummary(db: Db, shop: string, gid: string): Promise<ProductSummary | null> {
  const p = await db.product.findUnique({
    where: { shop_gid: { shop, gid } },
    select: {
      gid: true,
      title: true,
      handle: true,
      status: true,
      variants: { select: { priceMinor: true, inventoryQty: true } },
    },
  });
  if (!p) return null;
  const prices = p.variants.map((v) => v.priceMinor);
  return {
    gid: p.gid,
    title: p.title,
    handle: p.handle,
    status: p.status,
    priceMinor: prices.length ? Math.min(...prices) : null,
    inventory: p.variants.reduce((s, v) => s + Math.max(0, v.inventoryQty), 0),
  };
}

/** Titles (and handles) of the given product GIDs, for labelling recommendation lists. */
export async function productTitles(
  db: Db,
  shop: string,
  gids: string[],
): Promise<Map<string, { title: string; handle: string }>> {
  if (gids.length === 0) return new Map();
  const rows = await db.product.findMany({
    where: { shop, gid: { in: [...new Set(gids)] } },
    select: { gid: true, title: true, handle: true },
  });
  return new Map(rows.map((r) => [r.gid, { title: r.title, handle: r.handle }]));
}

/** Resolves product handles to GIDs (settings: excluded products are entered by handle). */
export async function productGidsByHandle(db: Db, shop: string, handles: string[]): Promise<Map<string, string>> {
  if (handles.length === 0) return new Map();
  const rows = await db.product.findMany({
    where: { shop, handle: { in: handles }, deletedAt: null },
    select: { gid: true, handle: true },
  });
  return new Map(rows.map((r) => [r.handle, r.gid]));
}

export interface Coverage {
  activeProducts: number;
  productsWithLists: number;
  scoredCustomers: number;
  customersWithLists: number;
}

/**
 * How much of the shop the recommendations reach: active products with a bought-together or
 * also-bought list, and customers (with orders) with a "for you" list. Tombstones (`items = []`)
 * do not count.
 */
export async function recommendationCoverage(db: Db, shop: string): Promise<Coverage> {
  // A tombstone's items are '[]' (8 bytes). Comparing sizes reads only the stored length, while
  // `items <> '[]'` would decompress every list — 20× slower on a demo-sized shop.
  const rows = await db.$queryRawUnsafe<
    { active: number; with_lists: number; scored: number; customers_with: number }[]
  >(
    `SELECT (SELECT count(*) FROM "Product" WHERE shop = $1 AND status = 'ACTIVE' AND "deletedAt" IS NULL)::int AS active,
            (SELECT count(*) FROM "Product" p
              WHERE p.shop = $1 AND p.status = 'ACTIVE' AND p."deletedAt" IS NULL
                AND EXISTS (SELECT 1 FROM "Recommendation" r
                             WHERE r.shop = p.shop AND r.kind IN ('BOUGHT_TOGETHER', 'ALSO_BOUGHT') AND r.subject = p.gid
                               AND pg_column_size(r.items) > pg_column_size('[]'::jsonb)))::int AS with_lists,
            (SELECT count(*) FROM "CustomerScore" WHERE shop = $1)::int AS scored,
            (SELECT count(*) FROM "Recommendation"
              WHERE shop = $1 AND kind = 'FOR_YOU' AND pg_column_size(items) > pg_column_size('[]'::jsonb))::int AS customers_with`,
    shop,
  );
  const r = rows[0];
  return {
    activeProducts: Number(r?.active ?? 0),
    productsWithLists: Number(r?.with_lists ?? 0),
    scoredCustomers: Number(r?.scored ?? 0),
    customersWithLists: Number(r?.customers_with ?? 0),
  };
}
