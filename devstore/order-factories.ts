import type { DsCustomer, DsLineItem, DsOrder, DsProduct, DsRefund, DsShop, DsVariant } from "./model.js";
import { formatMinor, parseMinor } from "./money.js";
import { mintGid } from "./shop.js";
import { discountAmountMinor, findDiscountCode } from "./discount-factories.js";
import { DEFAULT_TIME, laterOf } from "./factory-time.js";

/**
 * Orders, refunds and cancellations for a DsShop, with totals that add up like Shopify's (the
 * money rules are in factories.ts's header).
 */

export type OrderLineInput =
  | {
      variant: DsVariant | string;
      quantity: number;
      /** Unit price; default the variant's current price. */
      unitPrice?: string;
      /** Line-level discount for the whole line. */
      lineDiscount?: string;
      customAttributes?: { key: string; value: string }[];
    }
  | {
      /** A custom line item (no product), as Shopify allows on draft/POS orders and old imports. */
      variant: null;
      title: string;
      sku?: string | null;
      quantity: number;
      unitPrice: string;
      lineDiscount?: string;
      customAttributes?: { key: string; value: string }[];
    };

export interface MakeOrderInput {
  customer?: DsCustomer | string | null;
  /** Default: the customer's email. */
  email?: string | null;
  lines: OrderLineInput[];
  createdAt?: string;
  processedAt?: string;
  /** Default: the next "#<number>" after the shop's highest order number (from #1001). */
  name?: string;
  discountCodes?: string[];
  /**
   * Order-level discount, decimal string. Default: derived from the first code the shop knows
   * (its redeem code's usageCount is incremented), else 0.
   */
  orderDiscount?: string;
  shipping?: string;
  /** Tax rate on the discounted subtotal minus gift cards (default 0); ignored when `tax` is given. */
  taxRate?: number;
  tax?: string;
  currencyCode?: string;
  financialStatus?: string;
  customAttributes?: { key: string; value: string }[];
}

/** Next free order number per shop; rescanned when orders were added behind our back. */
const orderNumberCache = new WeakMap<DsShop, { size: number; next: number }>();

function nextOrderName(shop: DsShop): string {
  let cached = orderNumberCache.get(shop);
  if (!cached || cached.size !== shop.orders.size) {
    let max = 1000;
    for (const order of shop.orders.values()) {
      const n = Number(/^#?(\d+)$/.exec(order.name)?.[1] ?? Number.NaN);
      if (n > max) max = n;
    }
    cached = { size: shop.orders.size, next: max + 1 };
    orderNumberCache.set(shop, cached);
  }
  return `#${cached.next}`;
}

function noteOrderInserted(shop: DsShop, name: string): void {
  const cached = orderNumberCache.get(shop);
  const n = Number(/^#?(\d+)$/.exec(name)?.[1] ?? Number.NaN);
  if (cached) orderNumberCache.set(shop, { size: shop.orders.size, next: n >= cached.next ? n + 1 : cached.next });
}

/** Shopify's line item name: "Product" or "Product - Variant" for non-default variants. */
function lineItemName(product: DsProduct | undefined, variant: DsVariant): string {
  const title = product?.title ?? variant.title;
  return variant.title === "Default Title" || !product ? title : `${title} - ${variant.title}`;
}

function buildLine(shop: DsShop, line: OrderLineInput): DsLineItem {
  const id = mintGid(shop, "LineItem");
  const customAttributes = line.customAttributes ?? [];
  if (line.variant === null) {
    const unit = parseMinor(line.unitPrice);
    const gross = unit * line.quantity;
    return {
      id,
      name: line.title,
      sku: line.sku ?? null,
      quantity: line.quantity,
      variantId: null,
      productId: null,
      originalUnitPrice: formatMinor(unit),
      discountedTotal: formatMinor(gross - parseMinor(line.lineDiscount ?? "0")),
      customAttributes,
    };
  }
  const variant = typeof line.variant === "string" ? shop.variants.get(line.variant) : line.variant;
  if (!variant) throw new Error(`makeOrder: unknown variant ${String(line.variant)}`);
  const product = shop.products.get(variant.productId);
  const unit = parseMinor(line.unitPrice ?? variant.price);
  return {
    id,
    name: lineItemName(product, variant),
    sku: variant.sku,
    quantity: line.quantity,
    variantId: variant.id,
    productId: variant.productId,
    originalUnitPrice: formatMinor(unit),
    discountedTotal: formatMinor(unit * line.quantity - parseMinor(line.lineDiscount ?? "0")),
    customAttributes,
  };
}

/** Order-level discount in minor units: explicit amount, else the first known code's value. */
function resolveOrderDiscount(shop: DsShop, input: MakeOrderInput, afterLineDiscounts: number): number {
  if (input.orderDiscount !== undefined) return Math.min(parseMinor(input.orderDiscount), afterLineDiscounts);
  for (const text of input.discountCodes ?? []) {
    const found = findDiscountCode(shop, text);
    if (!found) continue;
    found.code.usageCount++;
    return discountAmountMinor(found.discount, afterLineDiscounts);
  }
  return 0;
}

/**
 * Inserts an order with totals that add up (see the file comment). The customer's `updatedAt`
 * moves to the order time, as Shopify updates a customer when they order.
 */
export function makeOrder(shop: DsShop, input: MakeOrderInput): DsOrder {
  const id = mintGid(shop, "Order");
  const createdAt = input.createdAt ?? DEFAULT_TIME;
  const customer =
    typeof input.customer === "string" ? shop.customers.get(input.customer) : (input.customer ?? undefined);
  if (typeof input.customer === "string" && !customer) throw new Error(`makeOrder: unknown customer ${input.customer}`);
  const lineItems = input.lines.map((line) => buildLine(shop, line));

  let grossMinor = 0;
  let afterLineDiscounts = 0;
  let giftCardMinor = 0;
  for (const item of lineItems) {
    grossMinor += parseMinor(item.originalUnitPrice) * item.quantity;
    afterLineDiscounts += parseMinor(item.discountedTotal);
    if (item.productId && shop.products.get(item.productId)?.isGiftCard)
      giftCardMinor += parseMinor(item.discountedTotal);
  }
  const orderDiscount = resolveOrderDiscount(shop, input, afterLineDiscounts);
  const subtotal = afterLineDiscounts - orderDiscount;
  const shipping = parseMinor(input.shipping ?? "0");
  // Gift cards are not taxed when sold (tax is due when they are spent).
  const taxableShare = afterLineDiscounts > 0 ? 1 - giftCardMinor / afterLineDiscounts : 0;
  const tax =
    input.tax !== undefined ? parseMinor(input.tax) : Math.round(subtotal * taxableShare * (input.taxRate ?? 0));

  const name = input.name ?? nextOrderName(shop);
  const order: DsOrder = {
    id,
    name,
    email: input.email !== undefined ? input.email : (customer?.email ?? null),
    customerId: customer?.id ?? null,
    createdAt,
    updatedAt: createdAt,
    processedAt: input.processedAt ?? createdAt,
    cancelledAt: null,
    financialStatus: input.financialStatus ?? "PAID",
    currencyCode: input.currencyCode ?? shop.currencyCode,
    subtotal: formatMinor(subtotal),
    totalDiscounts: formatMinor(grossMinor - subtotal),
    totalShipping: formatMinor(shipping),
    totalTax: formatMinor(tax),
    total: formatMinor(subtotal + shipping + tax),
    discountCodes: input.discountCodes ?? [],
    customAttributes: input.customAttributes ?? [],
    lineItems,
    refunds: [],
  };
  shop.orders.set(id, order);
  noteOrderInserted(shop, name);
  if (customer) customer.updatedAt = laterOf(customer.updatedAt, createdAt);
  return order;
}

// ---------------------------------------------------------------------------------------------
// Refunds and cancellations

export interface RefundInput {
  createdAt: string;
  /** Lines and quantities to refund; omitted → everything (a full refund, including shipping). */
  lines?: { lineItemId: string; quantity: number }[];
}

/**
 * Records a refund. A partial refund returns the lines' share of the discounted subtotal plus its
 * tax share; a full refund returns the order total. Financial status becomes REFUNDED once the
 * refunds reach the total, PARTIALLY_REFUNDED before that.
 */
export function addRefund(shop: DsShop, order: DsOrder, input: RefundInput): DsRefund {
  const full = input.lines === undefined;
  const wanted = input.lines ?? order.lineItems.map((item) => ({ lineItemId: item.id, quantity: item.quantity }));
  const linesMinor = order.lineItems.reduce((sum, item) => sum + parseMinor(item.discountedTotal), 0);
  const subtotal = parseMinor(order.subtotal);
  const orderShare = linesMinor > 0 ? subtotal / linesMinor : 0;
  const taxShare = subtotal > 0 ? parseMinor(order.totalTax) / subtotal : 0;

  const lines = wanted.map(({ lineItemId, quantity }) => {
    const item = order.lineItems.find((li) => li.id === lineItemId);
    if (!item) throw new Error(`addRefund: ${lineItemId} is not a line of ${order.name}`);
    const share = (parseMinor(item.discountedTotal) * Math.min(quantity, item.quantity)) / item.quantity;
    return { lineItemId, quantity, subtotal: formatMinor(Math.round(share * orderShare)) };
  });
  const linesRefunded = lines.reduce((sum, l) => sum + parseMinor(l.subtotal), 0);
  const alreadyRefunded = order.refunds.reduce((sum, r) => sum + parseMinor(r.totalRefunded), 0);
  const total = parseMinor(order.total);
  const amount = full
    ? total - alreadyRefunded
    : Math.min(Math.round(linesRefunded * (1 + taxShare)), total - alreadyRefunded);

  const refund: DsRefund = {
    id: mintGid(shop, "Refund"),
    createdAt: input.createdAt,
    totalRefunded: formatMinor(amount),
    lines,
  };
  order.refunds.push(refund);
  order.financialStatus = alreadyRefunded + amount >= total ? "REFUNDED" : "PARTIALLY_REFUNDED";
  order.updatedAt = laterOf(order.updatedAt, input.createdAt);
  return refund;
}

/**
 * Cancels an order. Shopify voids an uncaptured payment (VOIDED) or refunds a captured one
 * (REFUNDED, with a full refund record).
 */
export function cancelOrder(shop: DsShop, order: DsOrder, input: { at: string; refund: boolean }): DsOrder {
  order.cancelledAt = input.at;
  if (input.refund) addRefund(shop, order, { createdAt: input.at });
  else order.financialStatus = "VOIDED";
  order.updatedAt = laterOf(order.updatedAt, input.at);
  return order;
}
