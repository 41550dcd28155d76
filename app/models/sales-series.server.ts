import { DAY_MS } from "~/analytics/time";
import type { Db } from "./db-types.server";

/**
 * Read model for the forecast and the home charts: sales per UTC day and per week, and the top
 * sellers' daily units with their stock. Same definitions as the home KPIs: cancelled orders never
 * count, revenue is order totals net of refunds, units net of refunded units.
 */

export interface DailySales {
  /** Epoch ms of the first day's UTC midnight. */
  startDay: number;
  revenueMinor: number[];
  orders: number[];
}

/** UTC midnight of the day containing `at`. */
export function utcDay(at: Date): number {
  return Math.floor(at.getTime() / DAY_MS) * DAY_MS;
}

/**
 * Every complete UTC day from the shop's first order (at most `maxDays` back) to the day before
 * `before`'s day, zero-filled. Empty arrays when the shop has no order in that span.
 */
export async function dailySales(db: Db, shop: string, before: Date, maxDays: number): Promise<DailySales> {
  const end = utcDay(before);
  const rows = await db.$queryRawUnsafe<{ day: Date; revenue: number; orders: number }[]>(
    `SELECT date_trunc('day', "shopifyCreated") AS day,
            sum("totalMinor" - "refundedMinor")::float8 AS revenue, count(*)::int AS orders
       FROM "Order"
      WHERE shop = $1 AND "cancelledAt" IS NULL AND "shopifyCreated" >= $2::timestamp(3) AND "shopifyCreated" < $3::timestamp(3)
      GROUP BY 1 ORDER BY 1`,
    shop,
    new Date(end - maxDays * DAY_MS).toISOString(),
    new Date(end).toISOString(),
  );
  if (rows.length === 0) return { startDay: end, revenueMinor: [], orders: [] };
  const startDay = utcDay(rows[0].day);
  const n = Math.round((end - startDay) / DAY_MS);
  const revenueMinor = new Array<number>(n).fill(0);
  const orders = new Array<number>(n).fill(0);
  for (const r of rows) {
    const i = Math.round((utcDay(r.day) - startDay) / DAY_MS);
    revenueMinor[i] = Math.round(Number(r.revenue));
    orders[i] = Number(r.orders);
  }
  return { startDay, revenueMinor, orders };
}

export interface ProductUnits {
  productGid: string;
  title: string;
  /** Units in stock when Shopify stops selling at zero (every variant DENY), else null: unknown. */
  inventory: number | null;
  /** Units per day from `startDay`, the same days as {@link dailySales}. */
  units: number[];
}

/** The `top` products by units sold in the last `recentDays`, with their daily units over the span. */
export async function topProductUnits(
  db: Db,
  shop: string,
  span: { startDay: number; days: number },
  opts: { top: number; recentDays: number },
): Promise<ProductUnits[]> {
  const end = span.startDay + span.days * DAY_MS;
  const top = await db.$queryRawUnsafe<{ productGid: string; title: string; inventory: number | null }[]>(
    `WITH sold AS (
       SELECT l."productGid", sum(l.quantity - l."refundedQty") AS units
         FROM "OrderLine" l JOIN "Order" o ON o.shop = l.shop AND o.gid = l."orderGid"
        WHERE l.shop = $1 AND o."cancelledAt" IS NULL AND l."productGid" IS NOT NULL
          AND o."shopifyCreated" >= $2::timestamp(3) AND o."shopifyCreated" < $3::timestamp(3)
        GROUP BY 1 HAVING sum(l.quantity - l."refundedQty") > 0
        ORDER BY 2 DESC, 1 LIMIT $4
     )
     SELECT sold."productGid", p.title,
            CASE WHEN bool_and(v."inventoryPolicy" = 'DENY') THEN sum(greatest(v."inventoryQty", 0))::int END AS inventory
       FROM sold JOIN "Product" p ON p.shop = $1 AND p.gid = sold."productGid" AND p."deletedAt" IS NULL
       LEFT JOIN "Variant" v ON v.shop = $1 AND v."productGid" = sold."productGid"
      GROUP BY sold."productGid", sold.units, p.title
      ORDER BY sold.units DESC, sold."productGid"`,
    shop,
    new Date(end - opts.recentDays * DAY_MS).toISOString(),
    new Date(end).toISOString(),
    opts.top,
  );
  if (top.length === 0) return [];
  const rows = await db.$queryRawUnsafe<{ productGid: string; day: Date; units: number }[]>(
    `SELECT l."productGid", date_trunc('day', o."shopifyCreated") AS day, sum(l.quantity - l."refundedQty")::int AS units
       FROM "OrderLine" l JOIN "Order" o ON o.shop = l.shop AND o.gid = l."orderGid"
      WHERE l.shop = $1 AND o."cancelledAt" IS NULL AND l."productGid" = ANY($2::text[])
        AND o."shopifyCreated" >= $3::timestamp(3) AND o."shopifyCreated" < $4::timestamp(3)
      GROUP BY 1, 2`,
    shop,
    top.map((t) => t.productGid),
    new Date(span.startDay).toISOString(),
    new Date(end).toISOString(),
  );
  const byProduct = new Map(top.map((t) => [t.productGid, new Array<number>(span.days).fill(0)]));
  for (const r of rows) {
    const i = Math.round((utcDay(r.day) - span.startDay) / DAY_MS);
    const series = byProduct.get(r.productGid);
    if (series && i >= 0 && i < span.days) series[i] = Math.max(0, Number(r.units));
  }
  return top.map((t) => ({
    productGid: t.productGid,
    title: t.title,
    inventory: t.inventory === null ? null : Number(t.inventory),
    units: byProduct.get(t.productGid)!,
  }));
}
