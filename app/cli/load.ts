import { ordersToEngineOrdersWithStats, parseOrdersCsv, parseProductsCsv, type EngineOrderStats } from "../csv";
import type { Order, ProductInfo } from "../analytics/types";
import { UsageError } from "./errors";
import { readInput, readInputPieces } from "./io";

/** Reads and converts an orders export, keeping only orders created before `asOf` (docs/contracts.md §4). */
export function loadOrders(path: string, asOf: number): { orders: Order[]; stats: EngineOrderStats } {
  const parsed = parseOrdersCsv(readInputPieces(path, "orders"));
  const result = ordersToEngineOrdersWithStats(parsed, { before: asOf });
  if (result.orders.length === 0) {
    throw new UsageError(
      `no usable orders before --as-of in "${path}" (${parsed.length} orders read; ` +
        `${result.stats.notBefore} on/after as-of, ${result.stats.cancelledOrVoided} cancelled/voided, ${result.stats.noEmail} without email)`,
    );
  }
  return result;
}

/**
 * Reads a products export into engine `ProductInfo` records keyed the way `ordersToEngineOrders`
 * keys lines: the SKU, else the line-item name the orders export writes for that variant.
 */
export function loadProducts(path: string): ProductInfo[] {
  return parseProductsCsv(readInput(path, "products")).map(
    ({ handle: _h, row: _r, options: _o, variantTitle: _v, lineItemName, sku, ...info }) => ({
      ...info,
      sku: sku ?? lineItemName,
    }),
  );
}
