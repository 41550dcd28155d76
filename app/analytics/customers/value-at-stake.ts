/**
 * What a customer is worth winning back: what they used to spend per horizon-length period while
 * active, times the model's probability that they do not return on their own (issue #15 item 3).
 * A lapsed customer with a long, rich history ranks above a one-order stranger even when both are
 * near-certain not to order, which bare churn risk or BG/NBD CLV (both ~0 for them) cannot show.
 */
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
