import { DAY_MS } from "~/analytics/time";
import type { Db } from "./db-types.server";

/**
 * Read model for the admin charts: sales over time split by new and returning customers, and
 * cohort retention by first-order month. Definitions as the home KPIs (cancelled orders never
 * count, revenue net of refunds); "new" revenue is a customer's first order ever, "returning" any
 * later one, "guest" orders without a customer.
 */

export interface TrendBucket {
  /** Epoch ms of the bucket's start. */
  start: number;
  revenueMinor: number;
  orders: number;
  newRevenueMinor: number;
  returningRevenueMinor: number;
  guestRevenueMinor: number;
}

/**
 * `buckets` equal slices of the window [to − periodDays, to) and of the period before it, oldest
 * first: `{ current, previous }` line up bucket by bucket for a period-over-period comparison.
 * Slices are equal in milliseconds (90 days in 13 slices of 6.9 days), so they sum to the KPIs exactly.
 */
export async function salesTrend(
  db: Db,
  shop: string,
  opts: { to: Date; periodDays: number; buckets: number },
): Promise<{ current: TrendBucket[]; previous: TrendBucket[] }> {
  const bucketMs = (opts.periodDays * DAY_MS) / opts.buckets;
  const from = opts.to.getTime() - 2 * opts.periodDays * DAY_MS;
  const rows = await db.$queryRawUnsafe<
    { b: number; revenue: number; orders: number; new_rev: number; ret_rev: number }[]
  >(
    `WITH o AS (
       SELECT "customerGid" AS c, "shopifyCreated" AS at, "totalMinor" - "refundedMinor" AS net,
              row_number() OVER (PARTITION BY "customerGid" ORDER BY "shopifyCreated", gid) AS rn
         FROM "Order"
        WHERE shop = $1 AND "cancelledAt" IS NULL AND "shopifyCreated" < $3::timestamp(3)
     )
     SELECT floor(extract(epoch FROM at - $2::timestamp(3)) * 1000 / $4)::int AS b,
            sum(net)::float8 AS revenue, count(*)::int AS orders,
            coalesce(sum(net) FILTER (WHERE c IS NOT NULL AND rn = 1), 0)::float8 AS new_rev,
            coalesce(sum(net) FILTER (WHERE c IS NOT NULL AND rn > 1), 0)::float8 AS ret_rev
       FROM o WHERE at >= $2::timestamp(3)
      GROUP BY 1`,
    shop,
    new Date(from).toISOString(),
    opts.to.toISOString(),
    bucketMs,
  );
  const all: TrendBucket[] = Array.from({ length: 2 * opts.buckets }, (_, i) => ({
    start: Math.round(from + i * bucketMs),
    revenueMinor: 0,
    orders: 0,
    newRevenueMinor: 0,
    returningRevenueMinor: 0,
    guestRevenueMinor: 0,
  }));
  for (const r of rows) {
    const bucket = all[Math.min(2 * opts.buckets - 1, Math.max(0, Number(r.b)))];
    const revenue = Math.round(Number(r.revenue));
    bucket.revenueMinor += revenue;
    bucket.orders += Number(r.orders);
    bucket.newRevenueMinor += Math.round(Number(r.new_rev));
    bucket.returningRevenueMinor += Math.round(Number(r.ret_rev));
  }
  for (const b of all) b.guestRevenueMinor = b.revenueMinor - b.newRevenueMinor - b.returningRevenueMinor;
  return { previous: all.slice(0, opts.buckets), current: all.slice(opts.buckets) };
}

export interface CohortRow {
  /** First-order month, "YYYY-MM" (UTC). */
  cohort: string;
  customers: number;
  /** active[k]: cohort customers with an order in month k after the first (k = 0 is the first month). */
  active: number[];
  /** revenueMinor[k]: the cohort's revenue in month k. */
  revenueMinor: number[];
}

/**
 * The last `months` complete first-order months (UTC) and, for each, activity in every complete
 * month since — the month in progress is left out so the newest column is never half empty.
 */
export async function cohortRetention(db: Db, shop: string, opts: { to: Date; months: number }): Promise<CohortRow[]> {
  const end = new Date(Date.UTC(opts.to.getUTCFullYear(), opts.to.getUTCMonth(), 1));
  const start = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - opts.months, 1));
  const rows = await db.$queryRawUnsafe<{ cohort: string; k: number; active: number; revenue: number }[]>(
    // The first-order month as a window over the customer's orders, not a join of two CTEs (PGlite
    // ran that join as a nested loop: 10 s on the demo shop).
    `WITH o AS (
       SELECT "customerGid" AS c, date_trunc('month', "shopifyCreated") AS m, "totalMinor" - "refundedMinor" AS net,
              min(date_trunc('month', "shopifyCreated")) OVER (PARTITION BY "customerGid") AS cm
         FROM "Order"
        WHERE shop = $1 AND "cancelledAt" IS NULL AND "customerGid" IS NOT NULL AND "shopifyCreated" < $2::timestamp(3)
     ), per AS (
       SELECT to_char(cm, 'YYYY-MM') AS cohort,
              ((extract(year FROM m) - extract(year FROM cm)) * 12 + extract(month FROM m) - extract(month FROM cm))::int AS k,
              c, sum(net) AS net
         FROM o WHERE cm >= $3::timestamp(3)
        GROUP BY 1, 2, 3
     )
     SELECT cohort, k, count(*)::int AS active, sum(net)::float8 AS revenue FROM per GROUP BY 1, 2 ORDER BY 1, 2`,
    shop,
    end.toISOString(),
    start.toISOString(),
  );
  const byCohort = new Map<string, CohortRow>();
  for (let i = 0; i < opts.months; i++) {
    const d = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + i, 1));
    const cohort = d.toISOString().slice(0, 7);
    const span = opts.months - i;
    byCohort.set(cohort, {
      cohort,
      customers: 0,
      active: new Array(span).fill(0),
      revenueMinor: new Array(span).fill(0),
    });
  }
  for (const r of rows) {
    const row = byCohort.get(r.cohort);
    if (!row || r.k < 0 || r.k >= row.active.length) continue;
    row.active[r.k] = Number(r.active);
    row.revenueMinor[r.k] = Math.round(Number(r.revenue));
    if (r.k === 0) row.customers = Number(r.active);
  }
  return [...byCohort.values()];
}
