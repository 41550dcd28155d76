/** REST webhook payloads in the shapes Shopify sends, shared by route, fault and fuzz tests. */

export function orderPayload(id: number) {
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    name: `#${id}`,
    email: "buyer@example.com",
    created_at: "2026-11-01T10:00:00Z",
    updated_at: "2026-11-01T10:00:00Z",
    processed_at: "2026-11-01T10:00:00Z",
    cancelled_at: null,
    financial_status: "paid",
    currency: "USD",
    subtotal_price: "20.00",
    total_price: "25.00",
    total_discounts: "0.00",
    total_tax: "0.00",
    total_shipping_price_set: { shop_money: { amount: "5.00", currency_code: "USD" } },
    discount_codes: [{ code: "WELCOME", amount: "0.00", type: "percentage" }],
    note_attributes: [{ name: "gift", value: "yes" }],
    line_items: [
      {
        id: id * 10,
        admin_graphql_api_id: `gid://shopify/LineItem/${id * 10}`,
        sku: "TEA",
        name: "Tea",
        quantity: 2,
        price: "10.00",
        variant_id: 5,
        product_id: 6,
        properties: [{ name: "engraving", value: "hi" }],
        discount_allocations: [],
      },
    ],
    refunds: [],
    customer: { id: 77, admin_graphql_api_id: "gid://shopify/Customer/77", email: "buyer@example.com" },
  };
}

export function productPayload(id: number) {
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Product/${id}`,
    title: "Tea",
    handle: "tea",
    product_type: "Drinks",
    vendor: "Leafy",
    tags: "tea, green",
    status: "active",
    published_at: "2026-10-01T00:00:00Z",
    created_at: "2026-10-01T00:00:00Z",
    updated_at: "2026-11-01T00:00:00Z",
    variants: [
      {
        id: id * 10,
        sku: "TEA",
        title: "Default Title",
        price: "10.00",
        compare_at_price: null,
        inventory_quantity: 5,
        inventory_policy: "deny",
        updated_at: "2026-11-01T00:00:00Z",
      },
    ],
  };
}

export function customerPayload(id: number) {
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Customer/${id}`,
    email: "c@example.com",
    first_name: "Cee",
    last_name: "Dee",
    tags: "vip",
    email_marketing_consent: { state: "subscribed" },
    created_at: "2026-10-01T00:00:00Z",
    updated_at: "2026-11-01T00:00:00Z",
  };
}

export function refundPayload(orderId: number) {
  return {
    id: 900,
    order_id: orderId,
    created_at: "2026-11-03T00:00:00Z",
    refund_line_items: [{ line_item_id: orderId * 10, quantity: 1, subtotal: "10.00" }],
    transactions: [{ kind: "refund", status: "success", amount: "10.00" }],
  };
}
