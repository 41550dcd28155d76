import type { PrismaClient } from "@prisma/client";
import { listProductsForLineMatching, upsertProducts } from "../../models/catalog.server";
import { upsertCustomers } from "../../models/customers.server";
import { BATCH_TX_OPTIONS } from "../../models/db-types.server";
import { upsertOrders } from "../../models/orders.server";
import { ensureShop } from "../../models/sync-runs.server";
import { csvToRecords, type CsvImportInput } from "./csv-records.server";

/**
 * Loads Shopify admin "Export orders" / "Export products" CSVs into the same tables the sync fills.
 * Exports carry no customer, product or line ids, so records get stable synthetic GIDs in a
 * `gid://growthpilot-csv/…` namespace (customers by a hash of the email — no PII in ids; products
 * by handle; variants by handle + option values, never SKU: Shopify lets SKUs repeat or be empty).
 * Re-importing the same or an overlapping export updates, never duplicates: orders take the newest
 * import's values, a customer's consent comes from their most recent order across imports.
 */

export interface CsvImportCounts {
  products: number;
  variants: number;
  customers: number;
  orders: number;
  lines: number;
}

/** What an import stored and what it means for scoring, in terms a merchant can check. */
export interface CsvImportSummary extends CsvImportCounts {
  /** Orders stored with no email: kept, but linked to no customer and not scored. */
  ordersWithoutEmail: number;
  /** Cancelled or voided orders: kept, not scored. */
  ordersCancelled: number;
  /** Lines linked to a product variant (by SKU, else by "Product - Variant" name). */
  linesMatched: number;
  /** Lines with no variant in the products export (or, without one, in the stored catalogue). */
  linesUnmatched: number;
  /** Variant rows repeating a handle + option values already seen: the later row wins. */
  duplicateVariantRows: number;
  /** Variants stored without a SKU (Shopify allows it; none is invented). */
  variantsWithoutSku: number;
  /** Orders per currency code. */
  currencies: Record<string, number>;
  /** Refunded money per currency (minor units) and the orders with any refund. */
  refundedMinorByCurrency: Record<string, number>;
  refundedOrders: number;
  /** Earliest and latest order creation time (ISO, UTC); null without orders. */
  firstOrderAt: string | null;
  lastOrderAt: string | null;
}

/**
 * Writes an import in ONE transaction: a failure anywhere leaves the database exactly as it was.
 * Parsing (where malformed input is caught, with row numbers) happens before this is called.
 */
export async function importCsvRecords(
  prisma: PrismaClient,
  shop: string,
  input: CsvImportInput,
): Promise<CsvImportSummary> {
  const storedCatalogue = input.products ? undefined : await listProductsForLineMatching(prisma, shop);
  const records = csvToRecords({ ...input, storedCatalogue });
  await prisma.$transaction(async (tx) => {
    await ensureShop(tx, shop);
    for (let i = 0; i < records.products.length; i += 200)
      await upsertProducts(tx, shop, records.products.slice(i, i + 200));
    for (let i = 0; i < records.customers.length; i += 500)
      await upsertCustomers(tx, shop, records.customers.slice(i, i + 500));
    for (let i = 0; i < records.orders.length; i += 500) await upsertOrders(tx, shop, records.orders.slice(i, i + 500));
  }, BATCH_TX_OPTIONS);
  return summarise(records);
}

/** Counts of the distinct records written (one per GID — what the tables now hold from this file). */
export function summarise(records: ReturnType<typeof csvToRecords>): CsvImportSummary {
  const { products, customers, orders } = records;
  const variants = products.flatMap((p) => p.variants);
  const lines = orders.flatMap((o) => o.lines);
  const currencies: Record<string, number> = {};
  const refundedMinorByCurrency: Record<string, number> = {};
  let first: string | null = null;
  let last: string | null = null;
  for (const o of orders) {
    currencies[o.currencyCode] = (currencies[o.currencyCode] ?? 0) + 1;
    if (o.refundedMinor > 0)
      refundedMinorByCurrency[o.currencyCode] = (refundedMinorByCurrency[o.currencyCode] ?? 0) + o.refundedMinor;
    if (first === null || o.shopifyCreated < first) first = o.shopifyCreated;
    if (last === null || o.shopifyCreated > last) last = o.shopifyCreated;
  }
  const linesMatched = lines.filter((l) => l.variantGid !== null).length;
  return {
    products: products.length,
    variants: variants.length,
    customers: customers.length,
    orders: orders.length,
    lines: lines.length,
    ordersWithoutEmail: orders.filter((o) => o.customerGid === null).length,
    ordersCancelled: orders.filter((o) => o.cancelledAt !== null || o.financialStatus === "VOIDED").length,
    linesMatched,
    linesUnmatched: lines.length - linesMatched,
    duplicateVariantRows: records.duplicateVariantRows,
    variantsWithoutSku: variants.filter((v) => v.sku === null).length,
    currencies,
    refundedMinorByCurrency,
    refundedOrders: orders.filter((o) => o.refundedMinor > 0).length,
    firstOrderAt: first,
    lastOrderAt: last,
  };
}
