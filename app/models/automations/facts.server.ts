import type { CustomerFacts } from "../../analytics/automations";
import type { Db } from "../db-types.server";

/**
 * Read models for planning and previewing a run: scored customers with their order history and
 * last offer, the shop's second-order rhythm and order value, the bundle pair, product and
 * customer details for the preview and write-back.
 */

interface FactsRow {
  gid: string;
  segment: string;
  churnRisk: number;
  pPurchase: number;
  pAlive: number;
  clvMinor: number;
  marketingState: string | null;
  orders: number | bigint | null;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
  spentMinor: number | bigint | null;
  lastOfferAt: Date | null;
  productsBought: string[] | null;
}

/**
 * Scored customers with their order history and last offer, for planning. Only customers with a
 * score take part (the latest scoring run defines segments and risks); redacted customers never do.
 */
export async function loadCustomerFacts(
  db: Db,
  shop: string,
  opts: { withProducts: boolean },
): Promise<CustomerFacts[]> {
  const rows = await db.$queryRawUnsafe<FactsRow[]>(
    `WITH ord AS (
       SELECT o."customerGid" AS gid, count(*) AS orders, min(o."shopifyCreated") AS "firstOrderAt",
              max(o."shopifyCreated") AS "lastOrderAt", sum(o."subtotalMinor" - o."refundedMinor") AS "spentMinor"
       FROM "Order" o
       WHERE o.shop = $1 AND o."cancelledAt" IS NULL AND o."financialStatus" <> 'VOIDED' AND o."customerGid" IS NOT NULL
       GROUP BY o."customerGid"
     ),
     offers AS (
       SELECT "customerGid" AS gid, max("createdAt") AS "lastOfferAt"
       FROM "AutomationAssignment" WHERE shop = $1 AND arm IN ('TREATMENT', 'HOLDOUT') GROUP BY "customerGid"
     )
     ${
       opts.withProducts
         ? `, bought AS (
       SELECT o."customerGid" AS gid, array_agg(DISTINCT l."productGid") AS "productsBought"
       FROM "Order" o JOIN "OrderLine" l ON l.shop = o.shop AND l."orderGid" = o.gid
       WHERE o.shop = $1 AND o."cancelledAt" IS NULL AND l."productGid" IS NOT NULL AND o."customerGid" IS NOT NULL
       GROUP BY o."customerGid"
     )`
         : ""
     }
     SELECT s."customerGid" AS gid, s.segment, s."churnRisk", s."pPurchase", s."pAlive", s."clvMinor",
            c."marketingState", ord.orders, ord."firstOrderAt", ord."lastOrderAt", ord."spentMinor",
            offers."lastOfferAt", ${opts.withProducts ? `bought."productsBought"` : `NULL::text[] AS "productsBought"`}
     FROM "CustomerScore" s
     JOIN "Customer" c ON c.shop = s.shop AND c.gid = s."customerGid" AND c."redactedAt" IS NULL
     LEFT JOIN ord ON ord.gid = s."customerGid"
     LEFT JOIN offers ON offers.gid = s."customerGid"
     ${opts.withProducts ? `LEFT JOIN bought ON bought.gid = s."customerGid"` : ""}
     WHERE s.shop = $1
     ORDER BY s."customerGid"`,
    shop,
  );
  return rows.map((r) => {
    const orders = Number(r.orders ?? 0);
    const spent = Number(r.spentMinor ?? 0);
    return {
      gid: r.gid,
      segment: r.segment,
      churnRisk: r.churnRisk,
      pPurchase: r.pPurchase,
      pAlive: r.pAlive,
      clvMinor: r.clvMinor,
      orders,
      firstOrderAt: r.firstOrderAt ? r.firstOrderAt.getTime() : null,
      lastOrderAt: r.lastOrderAt ? r.lastOrderAt.getTime() : null,
      spentMinor: spent,
      aovMinor: orders > 0 ? Math.round(spent / orders) : 0,
      marketingState: r.marketingState ?? "NOT_SUBSCRIBED",
      lastOfferAt: r.lastOfferAt ? r.lastOfferAt.getTime() : null,
      productsBought: r.productsBought ?? [],
    };
  });
}

/** Days between first and second order of every repeat customer (same-day orders merged). */
export async function secondOrderGapsDays(db: Db, shop: string): Promise<number[]> {
  const rows = await db.$queryRawUnsafe<{ gap: number }[]>(
    `WITH days AS (
       SELECT DISTINCT "customerGid" AS gid, date_trunc('day', "shopifyCreated") AS d
       FROM "Order" WHERE shop = $1 AND "cancelledAt" IS NULL AND "customerGid" IS NOT NULL
     ), ranked AS (
       -- lead() instead of joining ranked to itself: PGlite ran that join as a nested loop (9 s on
       -- the demo shop's 20,000 orders; this is one sort).
       SELECT gid, d, row_number() OVER w AS n, lead(d) OVER w AS next FROM days WINDOW w AS (PARTITION BY gid ORDER BY d)
     )
     SELECT (EXTRACT(EPOCH FROM (next - d)) / 86400)::float8 AS gap
     FROM ranked WHERE n = 1 AND next IS NOT NULL ORDER BY gid`,
    shop,
  );
  return rows.map((r) => Number(r.gap));
}

export async function shopAverageOrderMinor(db: Db, shop: string): Promise<number> {
  const r = await db.order.aggregate({ where: { shop, cancelledAt: null }, _avg: { subtotalMinor: true } });
  return Math.round(r._avg.subtotalMinor ?? 0);
}

/** The strongest bought-together pair: the most-ordered product and its first partner. */
export async function topBundlePair(db: Db, shop: string): Promise<{ productA: string; productB: string } | null> {
  const lists = await db.recommendation.findMany({
    where: { shop, kind: "BOUGHT_TOGETHER" },
    select: { subject: true, items: true },
  });
  if (lists.length === 0) return null;
  const counts = await db.orderLine.groupBy({
    by: ["productGid"],
    where: { shop, productGid: { in: lists.map((l) => l.subject) } },
    _count: { _all: true },
  });
  const popularity = new Map(counts.map((c) => [c.productGid, c._count._all]));
  const ranked = lists
    .map((l) => ({
      subject: l.subject,
      first: (l.items as { gid: string }[])[0]?.gid,
      n: popularity.get(l.subject) ?? 0,
    }))
    .filter((l) => l.first)
    .sort((a, b) => b.n - a.n || (a.subject < b.subject ? -1 : 1));
  return ranked.length ? { productA: ranked[0].subject, productB: ranked[0].first! } : null;
}

/** Product title and lowest variant price (bundle offers discount product B). */
export async function productSummary(
  db: Db,
  shop: string,
  gid: string,
): Promise<{ title: string; priceMinor: number } | null> {
  const p = await db.product.findUnique({
    where: { shop_gid: { shop, gid } },
    include: { variants: { select: { priceMinor: true } } },
  });
  if (!p) return null;
  return { title: p.title, priceMinor: p.variants.length ? Math.min(...p.variants.map((v) => v.priceMinor)) : 0 };
}

/** Customer names for the preview list (PII: shown to the merchant, never logged). */
export async function customerLabels(db: Db, shop: string, gids: string[]): Promise<Map<string, string>> {
  const rows = await db.customer.findMany({
    where: { shop, gid: { in: gids } },
    select: { gid: true, firstName: true, lastName: true, email: true },
  });
  return new Map(rows.map((r) => [r.gid, [r.firstName, r.lastName].filter(Boolean).join(" ") || r.email || r.gid]));
}

/** Customer tags as last synced (segment write-back diffs against them). */
export async function customerTags(db: Db, shop: string, gids: string[]): Promise<Map<string, string[]>> {
  const rows = await db.customer.findMany({ where: { shop, gid: { in: gids } }, select: { gid: true, tags: true } });
  return new Map(rows.map((r) => [r.gid, r.tags]));
}
