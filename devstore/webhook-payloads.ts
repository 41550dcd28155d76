/**
 * REST-style webhook bodies. Shopify serialises webhook payloads with the REST Admin API shapes
 * (snake_case, numeric ids plus `admin_graphql_api_id`, money as decimal strings), not GraphQL —
 * only the fields a sync needs are included.
 */
import type { DsCustomer, DsOrder, DsProduct, DsShop, DsBulkOperation } from "./model.js";
import { gidNumber } from "./shop.js";

function restCustomerRef(c: DsCustomer | undefined, fallbackEmail: string | null) {
  if (!c) return null;
  return {
    id: gidNumber(c.id),
    email: c.email ?? fallbackEmail,
    first_name: c.firstName,
    last_name: c.lastName,
    admin_graphql_api_id: c.id,
  };
}

function financialStatus(status: string): string {
  return status.toLowerCase();
}

export function restOrder(shop: DsShop, o: DsOrder) {
  const customer = o.customerId ? shop.customers.get(o.customerId) : undefined;
  return {
    id: gidNumber(o.id),
    admin_graphql_api_id: o.id,
    name: o.name,
    order_number: Number(o.name.replace(/\D/g, "")) || gidNumber(o.id),
    email: o.email,
    contact_email: o.email,
    created_at: o.createdAt,
    updated_at: o.updatedAt,
    processed_at: o.processedAt,
    cancelled_at: o.cancelledAt,
    financial_status: financialStatus(o.financialStatus),
    currency: o.currencyCode,
    presentment_currency: o.currencyCode,
    total_price: o.total,
    subtotal_price: o.subtotal,
    total_discounts: o.totalDiscounts,
    total_tax: o.totalTax,
    total_shipping_price_set: {
      shop_money: { amount: o.totalShipping, currency_code: o.currencyCode },
      presentment_money: { amount: o.totalShipping, currency_code: o.currencyCode },
    },
    tags: (o.tags ?? []).join(", "),
    test: false,
    discount_codes: o.discountCodes.map((code) => ({
      code,
      amount: o.totalDiscounts,
      type: "percentage",
    })),
    note_attributes: o.customAttributes.map((a) => ({ name: a.key, value: a.value })),
    line_items: o.lineItems.map((l) => ({
      id: gidNumber(l.id),
      admin_graphql_api_id: l.id,
      sku: l.sku,
      name: l.name,
      title: l.name,
      quantity: l.quantity,
      price: l.originalUnitPrice,
      total_discount: (Number(l.originalUnitPrice) * l.quantity - Number(l.discountedTotal)).toFixed(2),
      variant_id: l.variantId ? gidNumber(l.variantId) : null,
      product_id: l.productId ? gidNumber(l.productId) : null,
      properties: l.customAttributes.map((a) => ({ name: a.key, value: a.value })),
    })),
    refunds: o.refunds.map((r) => ({
      id: gidNumber(r.id),
      admin_graphql_api_id: r.id,
      created_at: r.createdAt,
      order_id: gidNumber(o.id),
      refund_line_items: r.lines.map((line) => ({
        line_item_id: gidNumber(line.lineItemId),
        quantity: line.quantity,
        subtotal: line.subtotal,
      })),
      transactions: [{ kind: "refund", status: "success", amount: r.totalRefunded, currency: o.currencyCode }],
    })),
    customer: restCustomerRef(customer, o.email),
  };
}

export function restCustomer(c: DsCustomer) {
  return {
    id: gidNumber(c.id),
    admin_graphql_api_id: c.id,
    email: c.email,
    first_name: c.firstName,
    last_name: c.lastName,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    tags: c.tags.join(", "),
    state: "enabled",
    email_marketing_consent: { state: c.marketingState.toLowerCase(), opt_in_level: null, consent_updated_at: null },
  };
}

export function restProduct(shop: DsShop, p: DsProduct) {
  return {
    id: gidNumber(p.id),
    admin_graphql_api_id: p.id,
    title: p.title,
    handle: p.handle,
    body_html: p.descriptionHtml,
    product_type: p.productType,
    vendor: p.vendor,
    status: p.status.toLowerCase(),
    published_at: p.publishedAt,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    tags: p.tags.join(", "),
    variants: p.variantIds
      .map((id) => shop.variants.get(id))
      .filter((v) => v !== undefined)
      .map((v) => ({
        id: gidNumber(v.id),
        admin_graphql_api_id: v.id,
        product_id: gidNumber(p.id),
        title: v.title,
        sku: v.sku,
        price: v.price,
        compare_at_price: v.compareAtPrice,
        inventory_quantity: v.inventoryQuantity,
        inventory_policy: v.inventoryPolicy.toLowerCase(),
        inventory_item_id: gidNumber(v.inventoryItemId),
        created_at: v.createdAt,
        updated_at: v.updatedAt,
      })),
  };
}

/** bulk_operations/finish: GraphQL-style ids, as Shopify sends for this topic. */
export function restBulkOperationFinish(op: DsBulkOperation) {
  return {
    admin_graphql_api_id: op.id,
    completed_at: op.completedAt,
    created_at: op.createdAt,
    error_code: op.errorCode ? op.errorCode.toLowerCase() : null,
    status: op.status.toLowerCase(),
    type: op.type.toLowerCase(),
  };
}
