/**
 * Builds a stand-in shop from a merchant's own Shopify exports ("Export orders" CSV, optionally
 * the products CSV), so the demo and tests can run the whole app on real data.
 *
 * Joins follow docs/contracts.md §4: customer = email (case-insensitive; no email → guest order), product =
 * line SKU, falling back to the line name ("Title" or "Title - Option"). Without a products file
 * every distinct line key becomes a product; with one, lines that match nothing in it are kept as
 * custom line items (Shopify's representation of deleted products).
 *
 * What the export does not carry is filled plainly: customers have no names; refunds carry the
 * refunded amount but no lines and are dated at cancellation (or order) time; variants with unknown
 * stock are "not tracked" (0 on hand, CONTINUE); each used discount code becomes a discount whose
 * value is the median share it took off.
 */
import type { ParsedOrder, ParsedOrderLine } from "../app/csv/orders";
import type { ParsedProductVariant } from "../app/csv/products";
import {
  isoSeconds,
  makeCustomer,
  makeDiscountCode,
  makeOrder,
  makeProduct,
  type OrderLineInput,
} from "./factories.js";
import type { DsCustomer, DsOrder, DsShop, DsVariant } from "./model.js";
import { formatMinor } from "./money.js";
import { createEmptyShop, mintGid } from "./shop.js";
import { DAY_MS } from "../app/analytics/time";

export interface CsvLoadOptions {
  /** Default: the first order's currency, else "USD". */
  currencyCode?: string;
  ianaTimezone?: string;
}

/** Lookup of catalogue variants by the keys order lines carry. */
interface VariantIndex {
  bySku: Map<string, DsVariant>;
  byName: Map<string, DsVariant>;
}

export function loadShopFromOrdersCsv(
  domain: string,
  parsedOrders: ParsedOrder[],
  parsedProducts?: ParsedProductVariant[],
  opts: CsvLoadOptions = {},
): DsShop {
  const currencyCode = opts.currencyCode ?? parsedOrders.find((o) => o.currency)?.currency ?? "USD";
  const shop = createEmptyShop(domain, { currencyCode, ianaTimezone: opts.ianaTimezone });
  const orders = [...parsedOrders].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.row - b.row);
  const catalogueTime = isoSeconds((orders[0]?.createdAt.getTime() ?? 0) - DAY_MS);
  const index: VariantIndex = { bySku: new Map(), byName: new Map() };
  if (parsedProducts) insertProducts(shop, index, parsedProducts, catalogueTime);

  const customers = new Map<string, DsCustomer>();
  const codeUses = new Map<string, { shares: number[]; orders: DsOrder[] }>();
  for (const parsed of orders) {
    const customer = customerFor(shop, customers, parsed);
    const lines = parsed.lines.map((line) => lineInput(shop, index, line, parsed, !parsedProducts));
    const order = insertOrder(shop, parsed, customer, lines);
    if (parsed.discountCode) noteCodeUse(codeUses, parsed, order);
  }
  insertDiscountCodes(shop, codeUses);
  return shop;
}

// ---------------------------------------------------------------------------------------------
// Catalogue

function insertProducts(shop: DsShop, index: VariantIndex, rows: ParsedProductVariant[], createdAt: string): void {
  const byHandle = new Map<string, ParsedProductVariant[]>();
  for (const row of rows) byHandle.set(row.handle, [...(byHandle.get(row.handle) ?? []), row]);
  for (const [handle, variants] of byHandle) {
    const first = variants[0];
    const status = first.status ?? "ACTIVE";
    const published = first.published ?? status === "ACTIVE";
    const product = makeProduct(shop, {
      title: first.title,
      handle,
      productType: first.productType ?? "",
      vendor: first.vendor ?? shop.name,
      tags: first.tags ?? [],
      collections: first.collections ?? [],
      status,
      publishedAt: published ? createdAt : null,
      isGiftCard: first.giftCard ?? false,
      createdAt,
      variants: variants.map((v) => {
        return {
          title: v.variantTitle,
          sku: v.sku,
          price: formatMinor(v.priceMinor ?? 0),
          unitCost: v.costMinor != null ? formatMinor(v.costMinor) : null,
          inventoryQuantity: v.inventory ?? 0,
          inventoryPolicy: v.inventory === undefined || v.continueSelling ? "CONTINUE" : "DENY",
        };
      }),
    });
    for (const id of product.variantIds) indexVariant(shop, index, shop.variants.get(id)!);
  }
}

/** Registers a variant under its SKU and the line item name Shopify exports for it. */
function indexVariant(shop: DsShop, index: VariantIndex, variant: DsVariant): void {
  const product = shop.products.get(variant.productId)!;
  if (variant.sku) index.bySku.set(variant.sku, variant);
  const name = variant.title === "Default Title" ? product.title : `${product.title} - ${variant.title}`;
  if (!index.byName.has(name)) index.byName.set(name, variant);
}

/** Product for an order line seen for the first time (orders-only import). */
function productFromLine(shop: DsShop, index: VariantIndex, line: ParsedOrderLine, createdAt: string): DsVariant {
  const product = makeProduct(shop, {
    title: line.name,
    vendor: line.vendor ?? shop.name,
    createdAt,
    variants: [
      {
        sku: line.sku,
        price: formatMinor(line.priceMinor),
        compareAtPrice: line.compareAtPriceMinor ? formatMinor(line.compareAtPriceMinor) : null,
        inventoryQuantity: 0,
        inventoryPolicy: "CONTINUE",
      },
    ],
  });
  const variant = shop.variants.get(product.variantIds[0])!;
  indexVariant(shop, index, variant);
  return variant;
}

function lineInput(
  shop: DsShop,
  index: VariantIndex,
  line: ParsedOrderLine,
  order: ParsedOrder,
  createMissing: boolean,
): OrderLineInput {
  const common = {
    quantity: line.quantity,
    unitPrice: formatMinor(line.priceMinor),
    lineDiscount: formatMinor(Math.min(line.discountMinor ?? 0, line.priceMinor * line.quantity)),
  };
  const known = (line.sku ? index.bySku.get(line.sku) : undefined) ?? index.byName.get(line.name);
  if (known) return { variant: known, ...common };
  if (createMissing)
    return { variant: productFromLine(shop, index, line, isoSeconds(order.createdAt.getTime())), ...common };
  return { variant: null, title: line.name, sku: line.sku, ...common };
}

// ---------------------------------------------------------------------------------------------
// Customers and orders

function customerFor(shop: DsShop, customers: Map<string, DsCustomer>, order: ParsedOrder): DsCustomer | null {
  if (!order.email) return null;
  const key = order.email.toLowerCase();
  const createdAt = isoSeconds(order.createdAt.getTime());
  let customer = customers.get(key);
  if (!customer) {
    customer = makeCustomer(shop, { email: order.email, createdAt });
    customers.set(key, customer);
  }
  // Orders are replayed oldest first, so the latest stated consent wins.
  if (order.acceptsMarketing !== null)
    customer.marketingState = order.acceptsMarketing ? "SUBSCRIBED" : "NOT_SUBSCRIBED";
  return customer;
}

/** Shopify's export writes financial statuses in lower case ("partially_refunded"). */
const financialStatus = (raw: string | null): string => (raw ? raw.toUpperCase() : "PAID");

/**
 * Shops with tax-inclusive prices export Total = Subtotal + Shipping; the tax is inside the
 * subtotal, so it must not be added again.
 */
function taxToAdd(parsed: ParsedOrder): number {
  const taxes = parsed.taxesMinor ?? 0;
  const { subtotalMinor: sub, shippingMinor: ship, totalMinor: total } = parsed;
  if (taxes > 0 && sub !== null && total !== null && Math.abs(sub + (ship ?? 0) - total) <= 1) return 0;
  return taxes;
}

/** Order-level discount = the export's discount minus what lines already carry. */
function orderLevelDiscount(parsed: ParsedOrder): number {
  const onLines = parsed.lines.reduce((sum, l) => sum + (l.discountMinor ?? 0), 0);
  return Math.max(0, (parsed.discountAmountMinor ?? 0) - onLines);
}

function insertOrder(shop: DsShop, parsed: ParsedOrder, customer: DsCustomer | null, lines: OrderLineInput[]): DsOrder {
  const createdAt = isoSeconds(parsed.createdAt.getTime());
  const order = makeOrder(shop, {
    customer,
    email: parsed.email,
    name: parsed.name,
    lines,
    createdAt,
    discountCodes: parsed.discountCode ? [parsed.discountCode] : [],
    orderDiscount: formatMinor(orderLevelDiscount(parsed)),
    shipping: formatMinor(parsed.shippingMinor ?? 0),
    tax: formatMinor(taxToAdd(parsed)),
    currencyCode: parsed.currency ?? shop.currencyCode,
    financialStatus: financialStatus(parsed.financialStatus),
  });
  if (parsed.cancelledAt) order.cancelledAt = isoSeconds(parsed.cancelledAt.getTime());
  const refunded = parsed.refundedAmountMinor ?? 0;
  if (refunded > 0) {
    order.refunds.push({
      id: mintGid(shop, "Refund"),
      createdAt: order.cancelledAt ?? createdAt,
      totalRefunded: formatMinor(refunded),
      lines: [],
    });
  }
  if (order.cancelledAt && order.cancelledAt > order.updatedAt) order.updatedAt = order.cancelledAt;
  return order;
}

// ---------------------------------------------------------------------------------------------
// Discount codes

function noteCodeUse(
  uses: Map<string, { shares: number[]; orders: DsOrder[] }>,
  parsed: ParsedOrder,
  order: DsOrder,
): void {
  const key = parsed.discountCode!;
  const entry = uses.get(key) ?? { shares: [], orders: [] };
  const gross = parsed.lines.reduce((sum, l) => sum + l.priceMinor * l.quantity, 0);
  if (gross > 0) entry.shares.push((parsed.discountAmountMinor ?? 0) / gross);
  entry.orders.push(order);
  uses.set(key, entry);
}

/** One discount per used code, valid from its first use, with usage counts from the orders. */
function insertDiscountCodes(shop: DsShop, uses: Map<string, { shares: number[]; orders: DsOrder[] }>): void {
  for (const [code, { shares, orders }] of uses) {
    const sorted = [...shares].sort((a, b) => a - b);
    const median = sorted.length ? sorted[Math.floor(sorted.length / 2)] : 0.1;
    const { code: redeem } = makeDiscountCode(shop, {
      code,
      percentage: Math.round(Math.min(1, Math.max(0, median)) * 100) / 100,
      startsAt: orders[0].createdAt,
    });
    redeem.usageCount = orders.length;
  }
}
