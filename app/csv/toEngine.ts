import { lineNetMinor, netOrderMinor } from "../analytics/money";
import type { Order } from "../analytics/types";
import type { ParsedOrder } from "./orders";

/** What `ordersToEngineOrders` dropped, so callers can tell the merchant. */
export interface EngineOrderStats {
  kept: number;
  noEmail: number;
  cancelledOrVoided: number;
  notBefore: number;
  noLines: number;
  /** Kept orders' totals before refunds (minor units, all currencies summed as exported). */
  grossMinor: number;
  /** Refunded money on kept orders: what the engine does not count as revenue. */
  refundedMinor: number;
  /** Kept orders' value after refunds: what the engine scores (`grossMinor − refundedMinor`, floored per order). */
  netMinor: number;
  /** Kept orders with any refund, and those refunded in full (scored at 0). */
  refundedOrders: number;
  fullyRefundedOrders: number;
  /** `refundedMinor` per `Currency` (an export can mix currencies; the sums above do not convert). */
  refundedMinorByCurrency: Record<string, number>;
}

/**
 * Applies the docs/contracts.md §4 rules that turn an orders export into engine orders:
 * customer = Email (trimmed, lower-cased; orders without one are skipped), product = Lineitem sku
 * falling back to Lineitem name, order value = Total net of Refunded Amount (app/analytics/money.ts,
 * the same definition in-app scoring uses), cancelled orders (`Cancelled at` set) and voided ones skipped, and
 * only orders created strictly before `before` (epoch ms) kept. Output is sorted by time, then name.
 */
export function ordersToEngineOrders(parsed: ParsedOrder[], opts: { before: number }): Order[] {
  return ordersToEngineOrdersWithStats(parsed, opts).orders;
}

/** `ordersToEngineOrders` plus counts of what was skipped and why. */
export function ordersToEngineOrdersWithStats(
  parsed: ParsedOrder[],
  opts: { before: number },
): { orders: Order[]; stats: EngineOrderStats } {
  const stats: EngineOrderStats = {
    kept: 0,
    noEmail: 0,
    cancelledOrVoided: 0,
    notBefore: 0,
    noLines: 0,
    grossMinor: 0,
    refundedMinor: 0,
    netMinor: 0,
    refundedOrders: 0,
    fullyRefundedOrders: 0,
    refundedMinorByCurrency: {},
  };
  const orders: Order[] = [];
  for (const p of parsed) {
    const customer = p.email?.trim().toLowerCase() ?? "";
    if (customer === "") {
      stats.noEmail++;
      continue;
    }
    if (p.cancelledAt !== null || p.financialStatus === "voided") {
      stats.cancelledOrVoided++;
      continue;
    }
    const at = p.createdAt.getTime();
    if (!(at < opts.before)) {
      stats.notBefore++;
      continue;
    }
    const lines = p.lines
      .filter((l) => l.quantity > 0)
      .map((l) => ({
        sku: l.sku ?? l.name,
        quantity: l.quantity,
        amountMinor: lineNetMinor(l.priceMinor, l.quantity, l.discountMinor),
      }));
    if (lines.length === 0) {
      stats.noLines++;
      continue;
    }
    // Same fallbacks as the importer's stored total (csv-import.server.ts): Total, else Subtotal, else the lines.
    const gross = p.totalMinor ?? p.subtotalMinor ?? lines.reduce((sum, l) => sum + l.amountMinor, 0);
    const net = netOrderMinor(gross, p.refundedAmountMinor);
    orders.push({ id: p.id ?? p.name, customer, at, lines, totalMinor: net });
    stats.kept++;
    stats.grossMinor += gross;
    stats.netMinor += net;
    const refunded = p.refundedAmountMinor ?? 0;
    if (refunded > 0) {
      stats.refundedMinor += refunded;
      stats.refundedOrders++;
      const currency = p.currency ?? "unknown";
      stats.refundedMinorByCurrency[currency] = (stats.refundedMinorByCurrency[currency] ?? 0) + refunded;
      if (net === 0) stats.fullyRefundedOrders++;
    }
  }
  orders.sort((x, y) => x.at - y.at || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return { orders, stats };
}
