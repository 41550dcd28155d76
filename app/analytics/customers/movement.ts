import type { Order } from "../types";
import { rfmGroup, rfmScores, type RfmGroup } from "./rfm";
import { summarizeCustomers } from "./summary";

/**
 * RFM movement between two dates: each customer's Shopify group as of `from` (scored among the
 * customers who had ordered by then, exactly as a scoring run at `from` would) against their
 * group as of `to`. Customers without an order before `from` move from "New since" — the matrix
 * counts every customer of `to` once.
 */
export const NEW_SINCE = "New since";

export function rfmGroupsAt(orders: readonly Order[], asOf: number): Map<string, RfmGroup> {
  const histories = summarizeCustomers(orders, asOf);
  const scores = rfmScores(histories);
  return new Map(histories.map((h, i) => [h.customer, rfmGroup(scores[i], h.orderCount)]));
}

export interface RfmMovement {
  from: number;
  to: number;
  /** counts[fromGroup][toGroup]; fromGroup may be {@link NEW_SINCE}. */
  counts: Record<string, Record<string, number>>;
}

export function rfmMovement(orders: readonly Order[], from: number, to: number): RfmMovement {
  const before = rfmGroupsAt(orders, from);
  const after = rfmGroupsAt(orders, to);
  const counts: Record<string, Record<string, number>> = {};
  for (const [customer, now] of after) {
    const was = before.get(customer) ?? NEW_SINCE;
    const row = (counts[was] ??= {});
    row[now] = (row[now] ?? 0) + 1;
  }
  return { from, to, counts };
}
