/** Shared checks for stand-in shops built by the generator, factories and CSV loader. */
import type { DsOrder, DsShop } from "../../devstore/model";
import { parseMinor } from "../../devstore/money";

/** JSON-able copy of a shop (Maps and Sets become arrays) for determinism comparisons. */
export function shopSnapshot(shop: DsShop): string {
  return JSON.stringify(shop, (_key, value) =>
    value instanceof Map ? [...value.entries()] : value instanceof Set ? [...value] : value,
  );
}

/** Describes why an order's money does not add up, or null when it does. */
export function totalsProblem(order: DsOrder): string | null {
  const money = [order.subtotal, order.totalDiscounts, order.totalShipping, order.totalTax, order.total];
  if (money.some((m) => !/^-?\d+\.\d{2}$/.test(m))) return `${order.name}: money not 2-decimal strings ${money}`;
  const gross = order.lineItems.reduce((s, l) => s + parseMinor(l.originalUnitPrice) * l.quantity, 0);
  const total = parseMinor(order.total);
  const viaLines =
    gross - parseMinor(order.totalDiscounts) + parseMinor(order.totalShipping) + parseMinor(order.totalTax);
  const viaSubtotal = parseMinor(order.subtotal) + parseMinor(order.totalShipping) + parseMinor(order.totalTax);
  if (viaLines !== total || viaSubtotal !== total) return `${order.name}: ${viaLines} / ${viaSubtotal} ≠ ${total}`;
  return null;
}
