/**
 * The one money definition the engine sees, shared by offline `growthpilot score` (CSV exports)
 * and in-app scoring (synced orders): what a customer paid and kept paying — an order's total
 * net of refunds, never below zero. A fully refunded order is worth 0; it still happened (it
 * counts as a visit), but its money is not revenue.
 */

/** Order value for scoring: total − refunded, floored at 0. */
export function netOrderMinor(totalMinor: number, refundedMinor: number | null | undefined): number {
  return Math.max(0, totalMinor - (refundedMinor ?? 0));
}

/** A line's value: unit price × quantity − the line's discount, floored at 0. */
export function lineNetMinor(
  unitPriceMinor: number,
  quantity: number,
  discountMinor: number | null | undefined,
): number {
  return Math.max(0, unitPriceMinor * quantity - (discountMinor ?? 0));
}
