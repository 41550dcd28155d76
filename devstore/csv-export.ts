/**
 * Writes a stand-in shop as Shopify admin's "Export orders" CSV (one row per line item, order
 * fields on every row as newer exports do). Lets the offline CLI and its benchmarks run on generated
 * shops, and lets tests round-trip generator → CSV → parser → loader.
 */
import type { DsOrder, DsShop } from "./model.js";
import { formatMinor, parseMinor } from "./money.js";

const HEADER = [
  "Name",
  "Email",
  "Financial Status",
  "Paid at",
  "Fulfillment Status",
  "Accepts Marketing",
  "Currency",
  "Subtotal",
  "Shipping",
  "Taxes",
  "Total",
  "Discount Code",
  "Discount Amount",
  "Created at",
  "Lineitem quantity",
  "Lineitem name",
  "Lineitem price",
  "Lineitem compare at price",
  "Lineitem sku",
  "Lineitem requires shipping",
  "Lineitem discount",
  "Cancelled at",
  "Refunded Amount",
  "Vendor",
  "Id",
];

/** RFC 4180 quoting, only where needed. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** ISO → the export's "2024-03-05 14:22:01 +0000". */
function exportTime(iso: string | null): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 19)} +0000` : "";
}

function orderRows(shop: DsShop, order: DsOrder): string[][] {
  const customer = order.customerId ? shop.customers.get(order.customerId) : undefined;
  const refunded = order.refunds.reduce((sum, r) => sum + parseMinor(r.totalRefunded), 0);
  const orderFields = [
    order.name,
    order.email ?? "",
    order.financialStatus.toLowerCase(),
    exportTime(order.processedAt),
    "fulfilled",
    customer ? (customer.marketingState === "SUBSCRIBED" ? "yes" : "no") : "",
    order.currencyCode,
    order.subtotal,
    order.totalShipping,
    order.totalTax,
    order.total,
    order.discountCodes[0] ?? "",
    order.totalDiscounts,
    exportTime(order.createdAt),
  ];
  return order.lineItems.map((line) => {
    const variant = line.variantId ? shop.variants.get(line.variantId) : undefined;
    const product = line.productId ? shop.products.get(line.productId) : undefined;
    const lineDiscount = parseMinor(line.originalUnitPrice) * line.quantity - parseMinor(line.discountedTotal);
    return [
      ...orderFields,
      String(line.quantity),
      line.name,
      line.originalUnitPrice,
      variant?.compareAtPrice ?? "",
      line.sku ?? "",
      product?.isGiftCard ? "false" : "true",
      formatMinor(lineDiscount),
      exportTime(order.cancelledAt),
      formatMinor(refunded),
      product?.vendor ?? "",
      order.id.split("/").pop() ?? "",
    ];
  });
}

/** The shop's orders, oldest first, as CSV text. */
export function exportOrdersCsv(shop: DsShop): string {
  const orders = [...shop.orders.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const rows = [HEADER, ...orders.flatMap((o) => orderRows(shop, o))];
  return rows.map((row) => row.map(csvField).join(",")).join("\n") + "\n";
}
