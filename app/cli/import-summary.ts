import type { CsvImportSummary } from "../services/sync/csv-import.server";

/** "1 order", "2 orders". */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** "GBP 274.07, EUR 630.00" — money is never summed across currencies. */
function moneyByCurrency(byCurrency: Record<string, number>): string {
  const parts = Object.entries(byCurrency).map(([code, minor]) => `${code} ${(minor / 100).toFixed(2)}`);
  return parts.length === 0 ? "none" : parts.join(", ");
}

/**
 * The import's result for a merchant: what was stored (counted from the distinct records written),
 * what is stored but not scored and why, the currency mix, the date range and the refunds.
 */
export function formatImportSummary(shop: string, s: CsvImportSummary, withProducts: boolean): string {
  const lines = [
    `imported into ${shop}: ${s.orders} orders (${s.lines} lines), ${s.customers} customers, ${s.products} products (${s.variants} variants)`,
    `  dates: ${s.firstOrderAt?.slice(0, 10) ?? "-"} to ${s.lastOrderAt?.slice(0, 10) ?? "-"} (UTC)`,
    `  currencies: ${
      Object.entries(s.currencies)
        .map(([code, n]) => `${code} ${count(n, "order")}`)
        .join(", ") || "none"
    }`,
    `  refunds: ${moneyByCurrency(s.refundedMinorByCurrency)} on ${count(s.refundedOrders, "order")} (scoring counts order totals net of refunds)`,
    `  stored but not scored: ${count(s.ordersCancelled, "cancelled or voided order")}, ${count(s.ordersWithoutEmail, "order")} without an email (no customer)`,
  ];
  if (withProducts) {
    lines.push(
      `  lines linked to a product: ${s.linesMatched} of ${s.lines} (by SKU, else by "Product - Variant" name); ${s.linesUnmatched} not in the products file`,
      `  variants without a SKU: ${s.variantsWithoutSku} (kept as they are)` +
        (s.duplicateVariantRows > 0 ? `; ${s.duplicateVariantRows} repeated variant rows merged (later row wins)` : ""),
    );
  } else {
    lines.push(
      `  lines linked to products already imported: ${s.linesMatched} of ${s.lines} (add --products to import the catalogue too)`,
    );
  }
  return lines.join("\n") + "\n";
}
