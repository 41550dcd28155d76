/**
 * REST-style webhook bodies. Shopify serialises webhook payloads with the REST Admin API shapes
 * (snake_case, numeric ids plus `admin_graphql_api_id`, money as decimal strings), not GraphQL —
 * only the fields a sync needs are included.
 */
import type { DsCustomer, DsOrder, DsProduct, DsShop, DsBulkOperation } from "./model.js";
import { gidNumber } from "./shop.js";

/** A REST id for a payload (a JS number: the stand-in's ids are small; see docs/shopify/webhooks.md). */
function restIdNumber(gid: string): number {
  return gidNumber(gid);
}

/** REST money bag: the same amount in shop and presentment currency (the stand-in has one currency). */
function moneySet(amount: string, currency: string) {
  return { shop_money: { amount, currency_code: currency }, presentment_money: { amount, currency_code: currency } };
}

function restCustomerRef(c: DsCustomer | undefined, fallbackEmail: string | null) {
  if (!c) return null;
  // The order's customer: Shopify's customer fields (no tags / consent since 2025-01).
  const { addresses: _addresses, ...ref } = restCustomer(c);
  return { ...ref, email: c.email ?? fallbackEmail };
}

function financialStatus(status: string): string {
  return status.toLowerCase();
}

/**
 * orders/create|updated|cancelled: Shopify's field set (sample of API 2026-07), filled with what
 * the stand-in models; fields it does not model (addresses, fulfillments, tax lines, client
 * details, …) are null or empty, as Shopify sends them for an order without them.
 * https://shopify.dev/docs/api/webhooks?reference=toml#list-orders-create
 */
export function restOrder(shop: DsShop, o: DsOrder) {
  const customer = o.customerId ? shop.customers.get(o.customerId) : undefined;
  const cur = o.currencyCode;
  const lineItemsTotal = o.lineItems.reduce((sum, l) => sum + Number(l.originalUnitPrice) * l.quantity, 0).toFixed(2);
  const refunded = o.refunds.reduce((sum, r) => sum + Number(r.totalRefunded), 0);
  const current = (amount: string) => (Number(amount) - refunded).toFixed(2);
  const number = Number(o.name.replace(/\D/g, "")) || gidNumber(o.id);
  return {
    id: gidNumber(o.id),
    admin_graphql_api_id: o.id,
    app_id: null,
    browser_ip: null,
    buyer_accepts_marketing: customer?.marketingState === "SUBSCRIBED",
    cancel_reason: o.cancelledAt ? "other" : null,
    cancelled_at: o.cancelledAt,
    cart_token: null,
    checkout_token: null,
    client_details: null,
    closed_at: null,
    confirmation_number: null,
    confirmed: true,
    contact_email: o.email,
    created_at: o.createdAt,
    currency: cur,
    current_shipping_price_set: moneySet(o.totalShipping, cur),
    current_subtotal_price: o.subtotal,
    current_subtotal_price_set: moneySet(o.subtotal, cur),
    current_total_additional_fees_set: null,
    current_total_discounts: o.totalDiscounts,
    current_total_discounts_set: moneySet(o.totalDiscounts, cur),
    current_total_duties_set: null,
    current_total_price: current(o.total),
    current_total_price_set: moneySet(current(o.total), cur),
    current_total_tax: o.totalTax,
    current_total_tax_set: moneySet(o.totalTax, cur),
    customer_locale: "en",
    device_id: null,
    discount_codes: o.discountCodes.map((code) => ({ code, amount: o.totalDiscounts, type: "percentage" })),
    duties_included: false,
    email: o.email,
    estimated_taxes: false,
    financial_status: financialStatus(o.financialStatus),
    fulfillment_status: null,
    landing_site: null,
    landing_site_ref: null,
    location_id: null,
    merchant_business_entity_id: null,
    merchant_of_record_app_id: null,
    name: o.name,
    note: null,
    note_attributes: o.customAttributes.map((a) => ({ name: a.key, value: a.value })),
    number,
    order_number: number,
    order_status_url: `https://${shop.domain}/orders/${gidNumber(o.id)}/authenticate`,
    original_total_additional_fees_set: null,
    original_total_duties_set: null,
    payment_gateway_names: ["manual"],
    phone: null,
    po_number: null,
    presentment_currency: cur,
    processed_at: o.processedAt,
    reference: null,
    referring_site: null,
    source_identifier: null,
    source_name: "web",
    source_url: null,
    subtotal_price: o.subtotal,
    subtotal_price_set: moneySet(o.subtotal, cur),
    tags: (o.tags ?? []).join(", "),
    tax_exempt: false,
    tax_lines: [],
    taxes_included: false,
    test: false,
    token: o.id.split("/").pop()!,
    total_cash_rounding_payment_adjustment_set: moneySet("0.00", cur),
    total_cash_rounding_refund_adjustment_set: moneySet("0.00", cur),
    total_discounts: o.totalDiscounts,
    total_discounts_set: moneySet(o.totalDiscounts, cur),
    total_line_items_price: lineItemsTotal,
    total_line_items_price_set: moneySet(lineItemsTotal, cur),
    total_outstanding: "0.00",
    total_price: o.total,
    total_price_set: moneySet(o.total, cur),
    total_shipping_price_set: moneySet(o.totalShipping, cur),
    total_tax: o.totalTax,
    total_tax_set: moneySet(o.totalTax, cur),
    total_tip_received: "0.00",
    total_weight: 0,
    updated_at: o.updatedAt,
    user_id: null,
    billing_address: null,
    customer: restCustomerRef(customer, o.email),
    discount_applications: [],
    fulfillments: [],
    line_items: o.lineItems.map((l) => {
      const discount = (Number(l.originalUnitPrice) * l.quantity - Number(l.discountedTotal)).toFixed(2);
      const refundedQty = o.refunds
        .flatMap((r) => r.lines)
        .filter((x) => x.lineItemId === l.id)
        .reduce((n, x) => n + x.quantity, 0);
      return {
        id: gidNumber(l.id),
        admin_graphql_api_id: l.id,
        attributed_staffs: [],
        current_quantity: Math.max(0, l.quantity - refundedQty),
        fulfillable_quantity: l.quantity,
        fulfillment_service: "manual",
        fulfillment_status: null,
        gift_card: false,
        grams: 0,
        name: l.name,
        price: l.originalUnitPrice,
        price_set: moneySet(l.originalUnitPrice, cur),
        product_exists: l.productId !== null,
        product_id: l.productId ? gidNumber(l.productId) : null,
        properties: l.customAttributes.map((a) => ({ name: a.key, value: a.value })),
        quantity: l.quantity,
        requires_shipping: true,
        sales_line_item_group_id: null,
        sku: l.sku,
        taxable: true,
        title: l.name,
        total_discount: discount,
        total_discount_set: moneySet(discount, cur),
        variant_id: l.variantId ? gidNumber(l.variantId) : null,
        variant_inventory_management: "shopify",
        variant_title: null,
        vendor: null,
        tax_lines: [],
        duties: [],
        discount_allocations: [],
      };
    }),
    payment_terms: null,
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
      transactions: [{ kind: "refund", status: "success", amount: r.totalRefunded, currency: cur }],
    })),
    shipping_address: null,
    shipping_lines: [],
    returns: [],
    line_item_groups: [],
  };
}

/**
 * customers/create|update as Shopify sends them since API 2025-01: no `tags`, no
 * `email_marketing_consent` (those have their own topics, below). Field set of Shopify's sample
 * (tests/conformance/stand-in-payloads.test.ts compares them key by key).
 * https://shopify.dev/changelog/new-customer-s-webhook-and-changes-to-existing-customer-s-webhooks-payload
 */
export function restCustomer(c: DsCustomer) {
  return {
    id: restIdNumber(c.id),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    first_name: c.firstName,
    last_name: c.lastName,
    state: "enabled",
    note: null,
    verified_email: true,
    multipass_identifier: null,
    tax_exempt: false,
    email: c.email,
    phone: null,
    currency: "USD",
    addresses: [],
    tax_exemptions: [],
    admin_graphql_api_id: c.id,
    default_address: null,
  };
}

/** customer.tags_added / customer.tags_removed: GraphQL-style ids and the changed tags only. */
export function customerTagsPayload(c: DsCustomer, tags: string[], occurredAt: string) {
  return { customerId: c.id, tags, occurredAt };
}

/** customers_email_marketing_consent/update. */
export function customerConsentPayload(c: DsCustomer, consentUpdatedAt: string) {
  return {
    customer_id: restIdNumber(c.id),
    email_address: c.email,
    email_marketing_consent: {
      state: c.marketingState.toLowerCase(),
      opt_in_level: "single_opt_in",
      consent_updated_at: consentUpdatedAt,
    },
  };
}

export function restProduct(shop: DsShop, p: DsProduct) {
  const variants = p.variantIds.map((id) => shop.variants.get(id)).filter((v) => v !== undefined);
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
    template_suffix: null,
    published_scope: "web",
    // Shopify sends full variant details for the first 100 variants and `variant_gids` for all.
    // https://shopify.dev/docs/api/webhooks?reference=toml#list-products-update
    variants: variants.slice(0, 100).map((v, index) => ({
      id: gidNumber(v.id),
      admin_graphql_api_id: v.id,
      product_id: gidNumber(p.id),
      title: v.title,
      sku: v.sku,
      barcode: null,
      position: index + 1,
      taxable: true,
      option1: v.title,
      option2: null,
      option3: null,
      image_id: null,
      price: v.price,
      compare_at_price: v.compareAtPrice,
      inventory_quantity: v.inventoryQuantity,
      old_inventory_quantity: v.inventoryQuantity,
      inventory_policy: v.inventoryPolicy.toLowerCase(),
      inventory_item_id: gidNumber(v.inventoryItemId),
      created_at: v.createdAt,
      updated_at: v.updatedAt,
    })),
    options: [],
    images: [],
    image: null,
    media: [],
    variant_gids: variants.map((v) => ({ admin_graphql_api_id: v.id, updated_at: v.updatedAt })),
    has_variants_that_requires_components: false,
    category: null,
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
