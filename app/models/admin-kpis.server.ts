import type { Db } from "./db-types.server";
import { DAY_MS } from "~/analytics/time";

/**
 * Read model for the admin home's KPIs: order aggregates over a time window and the "who is
 * slipping away" counts behind the "Do this now" list. Everything is computed in one SQL statement
 * per question so the home page stays fast on a shop with tens of thousands of orders.
 * Cancelled orders never count; revenue is net of refunds.
 */

export interface WindowKpis {
  revenueMinor: number;
  orders: number;
  /** Distinct customers with an order in the window. */
  activeCustomers: number;
  /** Of those, customers with ≥ 2 orders up to the window's end. */
  repeatCustomers: number;
}

/** Order KPIs for orders created in [from, to). */
export async function windowKpis(db: Db, shop: string, range: { from: Date; to: Date }): Promise<WindowKpis> {
  const rows = await db.$queryRawUnsafe<{ revenue: number; orders: number; active: number; repeaters: number }[]>(
    `WITH o AS (
       SELECT "customerGid" AS c, "shopifyCreated" AS at, "totalMinor" - "refundedMinor" AS net
         FROM "Order"
        WHERE shop = $1 AND "cancelledAt" IS NULL AND "shopifyCreated" < $3::timestamp(3)
     ), per AS (
       SELECT c, count(*) AS n, max(at) AS last FROM o WHERE c IS NOT NULL GROUP BY c
     )
     SELECT (SELECT coalesce(sum(net), 0) FROM o WHERE at >= $2::timestamp(3))::float8 AS revenue,
            (SELECT count(*) FROM o WHERE at >= $2::timestamp(3))::int AS orders,
            (SELECT count(*) FROM per WHERE last >= $2::timestamp(3))::int AS active,
            (SELECT count(*) FROM per WHERE last >= $2::timestamp(3) AND n >= 2)::int AS repeaters`,
    shop,
    range.from.toISOString(),
    range.to.toISOString(),
  );
  const r = rows[0];
  return {
    revenueMinor: Math.round(Number(r?.revenue ?? 0)),
    orders: Number(r?.orders ?? 0),
    activeCustomers: Number(r?.active ?? 0),
    repeatCustomers: Number(r?.repeaters ?? 0),
  };
}

export interface RetentionSignals {
  /** Repeat customers with churn risk ≥ `churnThreshold`, and what they used to spend per `periodDays`. */
  likelyChurners: { customers: number; revenueAtRiskMinor: number };
}

/**
 * Who is slipping away, from the order history joined with the latest scores.
 * (Who to win back is the win-back automation's audience, admin/audiences.server.ts, D37.)
 * - Revenue at risk: likely churners' historical spending rate (total spend over the time since
 *   their first order, at least 30 days) scaled to the KPI period — what the shop loses per period
 *   if they do not come back.
 */
export async function retentionSignals(
  db: Db,
  shop: string,
  opts: { asOf: Date; periodDays: number; churnThreshold?: number },
): Promise<RetentionSignals> {
  const rows = await db.$queryRawUnsafe<{ churners: number; at_risk: number | null }[]>(
    `WITH per AS (
       SELECT "customerGid" AS c,
              count(DISTINCT date_trunc('day', "shopifyCreated")) AS days,
              count(*) AS n,
              sum("totalMinor" - "refundedMinor")::float8 AS spend,
              extract(epoch FROM min("shopifyCreated")) AS first_s,
              extract(epoch FROM max("shopifyCreated")) AS last_s
         FROM "Order"
        WHERE shop = $1 AND "cancelledAt" IS NULL AND "customerGid" IS NOT NULL AND "shopifyCreated" < $2::timestamp(3)
        GROUP BY "customerGid"
     ), j AS (
       SELECT per.*, s."pAlive", s."churnRisk", extract(epoch FROM $2::timestamp(3)) AS now_s
         FROM per JOIN "CustomerScore" s ON s.shop = $1 AND s."customerGid" = per.c
        WHERE per.days >= 2
     )
     SELECT count(*) FILTER (WHERE "churnRisk" >= $4)::int AS churners,
            sum(spend / greatest(now_s - first_s, 30 * 86400) * $3 * 86400) FILTER (WHERE "churnRisk" >= $4)::float8 AS at_risk
       FROM j`,
    shop,
    opts.asOf.toISOString(),
    opts.periodDays,
    opts.churnThreshold ?? 0.7,
  );
  const r = rows[0];
  return {
    likelyChurners: { customers: Number(r?.churners ?? 0), revenueAtRiskMinor: Math.round(Number(r?.at_risk ?? 0)) },
  };
}

export interface HomeAggregates {
  current: WindowKpis;
  previous: WindowKpis;
  signals: RetentionSignals;
}

/**
 * The home page's numbers in one statement — the current and previous window's KPIs and the
 * retention signals — so the orders are scanned and grouped by customer once (PGlite runs
 * statements one at a time; three separate scans cost three times as much). Definitions as in
 * {@link windowKpis} and {@link retentionSignals}; `asOf` is the end of the current window.
 */
export async function homeAggregates(
  db: Db,
  shop: string,
  opts: { asOf: Date; periodDays: number; churnThreshold?: number },
): Promise<HomeAggregates> {
  const to = opts.asOf;
  const mid = new Date(to.getTime() - opts.periodDays * DAY_MS);
  const from = new Date(mid.getTime() - opts.periodDays * DAY_MS);
  const rows = await db.$queryRawUnsafe<Record<string, number | null>[]>(
    `WITH o AS (
       SELECT "customerGid" AS c, "shopifyCreated" AS at, "totalMinor" - "refundedMinor" AS net
         FROM "Order"
        WHERE shop = $1 AND "cancelledAt" IS NULL AND "shopifyCreated" < $4::timestamp(3)
     ), per AS (
       SELECT c, count(*) AS n, count(*) FILTER (WHERE at < $3::timestamp(3)) AS n_prev,
              max(at) AS last, max(at) FILTER (WHERE at < $3::timestamp(3)) AS last_prev,
              count(DISTINCT date_trunc('day', at)) AS days, sum(net)::float8 AS spend,
              extract(epoch FROM min(at)) AS first_s, extract(epoch FROM max(at)) AS last_s
         FROM o WHERE c IS NOT NULL GROUP BY c
     ), totals AS (
       SELECT coalesce(sum(net) FILTER (WHERE at >= $3::timestamp(3)), 0)::float8 AS revenue,
              count(*) FILTER (WHERE at >= $3::timestamp(3))::int AS orders,
              coalesce(sum(net) FILTER (WHERE at >= $2::timestamp(3) AND at < $3::timestamp(3)), 0)::float8 AS prev_revenue,
              count(*) FILTER (WHERE at >= $2::timestamp(3) AND at < $3::timestamp(3))::int AS prev_orders
         FROM o
     ), buyers AS (
       SELECT count(*) FILTER (WHERE last >= $3::timestamp(3))::int AS active,
              count(*) FILTER (WHERE last >= $3::timestamp(3) AND n >= 2)::int AS repeaters,
              count(*) FILTER (WHERE last_prev >= $2::timestamp(3))::int AS prev_active,
              count(*) FILTER (WHERE last_prev >= $2::timestamp(3) AND n_prev >= 2)::int AS prev_repeaters
         FROM per
     ), scored AS (
       SELECT per.*, s."churnRisk", extract(epoch FROM $4::timestamp(3)) AS now_s
         FROM per JOIN "CustomerScore" s ON s.shop = $1 AND s."customerGid" = per.c
        WHERE per.days >= 2
     ), retention AS (
       SELECT count(*) FILTER (WHERE "churnRisk" >= $6)::int AS churners,
              (sum(spend / greatest(now_s - first_s, 30 * 86400) * $5 * 86400) FILTER (WHERE "churnRisk" >= $6))::float8 AS at_risk
         FROM scored
     )
     SELECT * FROM totals, buyers, retention`,
    shop,
    from.toISOString(),
    mid.toISOString(),
    to.toISOString(),
    opts.periodDays,
    opts.churnThreshold ?? 0.7,
  );
  const r = rows[0] ?? {};
  const n = (k: string) => Number(r[k] ?? 0);
  return {
    current: {
      revenueMinor: Math.round(n("revenue")),
      orders: n("orders"),
      activeCustomers: n("active"),
      repeatCustomers: n("repeaters"),
    },
    previous: {
      revenueMinor: Math.round(n("prev_revenue")),
      orders: n("prev_orders"),
      activeCustomers: n("prev_active"),
      repeatCustomers: n("prev_repeaters"),
    },
    signals: {
      likelyChurners: { customers: n("churners"), revenueAtRiskMinor: Math.round(n("at_risk")) },
    },
  };
}

/** The window [to − days, to). */
export function windowEndingAt(to: Date, days: number) {
  return { from: new Date(to.getTime() - days * DAY_MS), to };
}
