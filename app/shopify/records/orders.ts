import { z } from "zod";
import { amountOf, requiredIso, restGid, restMoney, toIso, toMinor, type Json } from "./scalars";
import { id, INT4, iso, KeyValueSchema, text } from "./storable";

export const OrderLineRecordSchema = z.object({
  gid: id,
  productGid: id.nullable(),
  variantGid: id.nullable(),
  sku: text.nullable(),
  name: text,
  quantity: INT4,
  unitPriceMinor: INT4,
  totalMinor: INT4,
  refundedQty: INT4,
  properties: z.array(KeyValueSchema),
});
export type OrderLineRecord = z.infer<typeof OrderLineRecordSchema>;

export const OrderRecordSchema = z.object({
  gid: id,
  name: text,
  customerGid: id.nullable(),
  email: text.nullable(),
  financialStatus: text,
  currencyCode: text,
  subtotalMinor: INT4,
  discountMinor: INT4,
  shippingMinor: INT4,
  taxMinor: INT4,
  totalMinor: INT4,
  refundedMinor: INT4,
  discountCodes: z.array(text),
  attributes: z.array(KeyValueSchema),
  shopifyCreated: iso,
  shopifyUpdated: iso,
  processedAt: iso.nullable(),
  cancelledAt: iso.nullable(),
  lines: z.array(OrderLineRecordSchema),
  /** True when `lines` is the order's full list. */
  linesComplete: z.boolean(),
  /** GIDs of the refunds this version counts (REST payloads list them); `undefined`: not carried. */
  refundGids: z.array(id).optional(),
});
export type OrderRecord = z.infer<typeof OrderRecordSchema>;

// ---------------------------------------------------------------------------------------------
// GraphQL (bulk JSONL lines / reconcile nodes)

export function lineFromGraphql(node: Json): OrderLineRecord {
  const quantity = node.quantity ?? 0;
  const current = typeof node.currentQuantity === "number" ? node.currentQuantity : quantity;
  return {
    gid: node.id,
    productGid: node.product?.id ?? null,
    variantGid: node.variant?.id ?? null,
    sku: node.sku || null,
    name: node.name ?? "",
    quantity,
    unitPriceMinor: toMinor(amountOf(node.originalUnitPriceSet)),
    totalMinor: toMinor(amountOf(node.discountedTotalSet)),
    refundedQty: Math.max(0, quantity - current),
    properties: (node.customAttributes ?? []).map((a: Json) => ({ key: a.key, value: a.value ?? null })),
  };
}

export function orderFromGraphql(node: Json, lines: Json[], linesComplete: boolean): OrderRecord {
  return {
    gid: node.id,
    name: node.name ?? "",
    customerGid: node.customer?.id ?? null,
    email: node.email ? String(node.email).toLowerCase() : null,
    financialStatus: node.displayFinancialStatus ?? "PENDING",
    currencyCode: node.currencyCode ?? "USD",
    subtotalMinor: toMinor(amountOf(node.subtotalPriceSet)),
    discountMinor: toMinor(amountOf(node.totalDiscountsSet)),
    shippingMinor: toMinor(amountOf(node.totalShippingPriceSet)),
    taxMinor: toMinor(amountOf(node.totalTaxSet)),
    totalMinor: toMinor(amountOf(node.totalPriceSet)),
    refundedMinor: toMinor(amountOf(node.totalRefundedSet)),
    discountCodes: node.discountCodes ?? [],
    attributes: (node.customAttributes ?? []).map((a: Json) => ({ key: a.key, value: a.value ?? null })),
    shopifyCreated: requiredIso(node.createdAt, "order.createdAt"),
    shopifyUpdated: requiredIso(node.updatedAt, "order.updatedAt"),
    processedAt: toIso(node.processedAt),
    cancelledAt: toIso(node.cancelledAt),
    lines: lines.map(lineFromGraphql),
    linesComplete,
  };
}

// ---------------------------------------------------------------------------------------------
// REST (orders/* webhook payloads)

/** What an order payload's embedded `refunds` say: refunded quantity per line id, and the amount. */
function refundsOfRestOrder(refunds: Json[]): { refundedQty: Map<string, number>; refundedMinor: number } {
  const refundedQty = new Map<string, number>();
  let refundedFromTransactions = 0;
  let refundedFromLines = 0;
  let sawTransactions = false;
  for (const refund of refunds) {
    for (const rl of refund.refund_line_items ?? []) {
      const key = String(rl.line_item_id ?? rl.line_item?.id);
      refundedQty.set(key, (refundedQty.get(key) ?? 0) + (rl.quantity ?? 0));
      refundedFromLines += toMinor(rl.subtotal_set?.shop_money?.amount ?? rl.subtotal ?? 0);
    }
    for (const t of refund.transactions ?? []) {
      if (t.kind === "refund" && (t.status === undefined || t.status === "success")) {
        sawTransactions = true;
        refundedFromTransactions += toMinor(t.amount);
      }
    }
  }
  return { refundedQty, refundedMinor: sawTransactions ? refundedFromTransactions : refundedFromLines };
}

function lineFromRest(li: Json, refundedQty: Map<string, number>): OrderLineRecord {
  const quantity = li.quantity ?? 0;
  const unit = toMinor(restMoney(li.price, li.price_set));
  const allocations: Json[] = li.discount_allocations ?? [];
  const discount = allocations.length
    ? allocations.reduce((sum, a) => sum + toMinor(a.amount_set?.shop_money?.amount ?? a.amount), 0)
    : toMinor(restMoney(li.total_discount, li.total_discount_set) ?? 0);
  const fromRefunds = refundedQty.get(String(li.id));
  const fromCurrent = typeof li.current_quantity === "number" ? Math.max(0, quantity - li.current_quantity) : 0;
  return {
    gid: restGid("LineItem", li.id, li.admin_graphql_api_id)!,
    productGid: restGid("Product", li.product_id),
    variantGid: restGid("ProductVariant", li.variant_id),
    sku: li.sku || null,
    name: li.name ?? li.title ?? "",
    quantity,
    unitPriceMinor: unit,
    totalMinor: unit * quantity - discount,
    refundedQty: fromRefunds ?? fromCurrent,
    properties: (li.properties ?? []).map((p: Json) => ({ key: p.name ?? p.key, value: p.value ?? null })),
  };
}

export function orderFromRest(o: Json): OrderRecord {
  const refunds: Json[] = Array.isArray(o.refunds) ? o.refunds : [];
  const { refundedQty, refundedMinor } = refundsOfRestOrder(refunds);
  const lines = (o.line_items ?? []).map((li: Json) => lineFromRest(li, refundedQty));
  const customer = o.customer ?? null;
  return {
    gid: restGid("Order", o.id, o.admin_graphql_api_id)!,
    name: o.name ?? "",
    customerGid: customer ? restGid("Customer", customer.id, customer.admin_graphql_api_id) : null,
    email: o.email || o.contact_email ? String(o.email || o.contact_email).toLowerCase() : null,
    financialStatus: String(o.financial_status ?? "pending").toUpperCase(),
    currencyCode: o.currency ?? "USD",
    subtotalMinor: toMinor(restMoney(o.subtotal_price, o.subtotal_price_set)),
    discountMinor: toMinor(restMoney(o.total_discounts, o.total_discounts_set)),
    shippingMinor: toMinor(restMoney(undefined, o.total_shipping_price_set)),
    taxMinor: toMinor(restMoney(o.total_tax, o.total_tax_set)),
    totalMinor: toMinor(restMoney(o.total_price, o.total_price_set)),
    refundedMinor,
    discountCodes: (o.discount_codes ?? []).map((d: Json) => (typeof d === "string" ? d : d.code)),
    attributes: (o.note_attributes ?? []).map((a: Json) => ({ key: a.name ?? a.key, value: a.value ?? null })),
    shopifyCreated: requiredIso(o.created_at, "order.created_at"),
    shopifyUpdated: requiredIso(o.updated_at, "order.updated_at"),
    processedAt: toIso(o.processed_at),
    cancelledAt: toIso(o.cancelled_at),
    lines,
    linesComplete: Array.isArray(o.line_items),
    refundGids: refunds
      .map((r) => restGid("Refund", r.id, r.admin_graphql_api_id))
      .filter((g): g is string => g !== null),
  };
}
