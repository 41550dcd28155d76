/**
 * What a customer is worth winning back: what they used to spend per horizon-length period while
 * active, times the model's probability that they do not return on their own (issue #15 item 3).
 * A lapsed customer with a long, rich history ranks above a one-order stranger even when both are
 * near-certain not to order, which bare churn risk or BG/NBD CLV (both ~0 for them) cannot show.
 */
import { quantile } from "../stats";
import type { CustomerHistory } from "./summary";

/**
 * Spend per `horizonDays` over the customer's active span: first order to last order plus one
 * usual gap (one-time buyers: one horizon), never shorter than the horizon itself.
 */
export function spendPerPeriod(h: CustomerHistory, horizonDays: number): number {
  if (h.purchaseDays.length === 0) return 0;
  const span = h.purchaseDays[h.purchaseDays.length - 1] - h.purchaseDays[0] + (h.meanGapDays ?? horizonDays);
  return (h.totalSpend * horizonDays) / Math.max(horizonDays, span);
}

export function valueAtStake(perPeriod: number, pReturn: number): number {
  return perPeriod * (1 - Math.min(1, Math.max(0, pReturn)));
}

/** Lapsed: longer since the last order than both the horizon and twice their usual gap. */
export function isLapsed(h: CustomerHistory, horizonDays: number): boolean {
  return h.recencyDays > Math.max(horizonDays, 2 * (h.meanGapDays ?? 0));
}

/**
 * The bar for "worth a win-back": the 80th percentile of value at stake among lapsed repeat
 * buyers (a fitted parameter of the run, so one customer can be judged later against it).
 */
export function winBackThreshold(
  histories: readonly CustomerHistory[],
  stakes: readonly number[],
  horizonDays: number,
) {
  const pool = stakes.filter((_, i) => histories[i].x >= 1 && isLapsed(histories[i], horizonDays));
  return pool.length ? quantile(pool, 0.8) : Number.MAX_VALUE;
}

/** A lapsed repeat buyer (2+ purchase days) with value at stake at or above the shop's bar. */
export function worthWinBack(h: CustomerHistory, stake: number, threshold: number, horizonDays: number): boolean {
  return h.x >= 1 && isLapsed(h, horizonDays) && stake > 0 && stake >= threshold;
}
