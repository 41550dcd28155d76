import { NEW_SINCE, RFM_GROUPS } from "../analytics/customers";
import { cohortRetention } from "../models/admin-trends.server";
import { getShop } from "../models/shops.server";
import type { AdminDeps } from "./deps.server";
import { loadRuns, parseMetrics, runStatusView } from "./runs.server";

/**
 * The retention page (D38): cohort retention by first-order month, cumulative revenue per customer
 * by cohort (what Lifetimely and Peel show), and how customers moved between RFM groups over the
 * last scoring run's 90 days.
 */

export const COHORT_MONTHS = 12;

export async function getRetention(deps: AdminDeps, shop: string) {
  const { prisma } = deps;
  const [shopRow, runs, cohorts] = await Promise.all([
    getShop(prisma, shop),
    loadRuns(prisma, shop),
    cohortRetention(prisma, shop, { to: deps.now(), months: COHORT_MONTHS }),
  ]);
  const movement = parseMetrics(runs.completed?.metrics).rfmMovement;
  const withCustomers = cohorts.filter((c) => c.customers > 0);
  return {
    currency: shopRow?.currencyCode ?? "USD",
    run: runStatusView(runs.completed),
    months: COHORT_MONTHS,
    cohorts: withCustomers.map((c) => {
      let cumulative = 0;
      return {
        cohort: c.cohort,
        customers: c.customers,
        retention: c.active.map((a) => a / c.customers),
        cumulativePerCustomerMinor: c.revenueMinor.map((r) => Math.round((cumulative += r) / c.customers)),
      };
    }),
    movement: movement ? movementView(movement) : null,
  };
}

export type RetentionView = Awaited<ReturnType<typeof getRetention>>;

/** The movement matrix in Shopify's group order, only the groups that occur; "New since" last. */
function movementView(m: NonNullable<ReturnType<typeof parseMetrics>["rfmMovement"]>) {
  const to = RFM_GROUPS.filter((g) => Object.values(m.counts).some((row) => (row[g] ?? 0) > 0));
  const from = [...RFM_GROUPS.filter((g) => m.counts[g]), ...(m.counts[NEW_SINCE] ? [NEW_SINCE] : [])];
  const rows = from.map((f) => ({ from: f, counts: to.map((t) => m.counts[f]?.[t] ?? 0) }));
  const stayed = from.reduce((s, f) => s + (to.includes(f as (typeof to)[number]) ? (m.counts[f]?.[f] ?? 0) : 0), 0);
  const total = rows.reduce((s, r) => s + r.counts.reduce((a, b) => a + b, 0), 0);
  return {
    from: new Date(m.from).toISOString(),
    to: new Date(m.to).toISOString(),
    groups: to as string[],
    rows,
    total,
    stayed,
  };
}
