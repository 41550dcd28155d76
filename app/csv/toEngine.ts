import type { Order } from "../analytics/types";
import type { ParsedOrder } from "./orders";

/** What `ordersToEngineOrders` dropped, so callers can tell the merchant. */
export interface EngineOrderStats {
  kept: number;
  noEmail: number;
  cancelledOrVoided: number;
  notBefore: number;
  noLines: number;
}

/**
 * Applies the DESIGN §4 rules that turn an orders export into engine orders:
 * customer = Email (trimmed, lower-cased; orders without one are skipped), product = Lineitem sku
 * falling back to Lineitem name, cancelled orders (`Cancelled at` set) and voided ones skipped, and
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
  const stats: EngineOrderStats = { kept: 0, noEmail: 0, cancelledOrVoided: 0, notBefore: 0, noLines: 0 };
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
        amountMinor: l.priceMinor * l.quantity - (l.discountMinor ?? 0),
      }));
    if (lines.length === 0) {
      stats.noLines++;
      continue;
    }
    const lineSum = lines.reduce((sum, l) => sum + l.amountMinor, 0);
    orders.push({ id: p.id ?? p.name, customer, at, lines, totalMinor: p.totalMinor ?? lineSum });
    stats.kept++;
  }
  orders.sort((x, y) => x.at - y.at || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return { orders, stats };
}
