/**
 * Access scopes the app requests: the minimal set that covers every Admin API document it sends
 * (tests/shopify/scopes.test.ts derives the need from the `requiredAccess` notes of Shopify's
 * pinned schema) plus what no document shows. mirrored in shopify.app.toml (a test checks it).
 *
 * A `write_` scope implies its `read_` scope (Shopify's AuthScopes in @shopify/shopify-api;
 * https://shopify.dev/docs/api/usage/access-scopes), so read scopes are not listed twice.
 * `InventoryItem` (unit cost for margins) needs `read_inventory` OR `read_products`, so
 * `write_products` covers it and `read_inventory` is not requested.
 */
export const APP_SCOPE_REASONS = {
  /** Catalogue sync, and app-owned recommendation metafields on products (metafieldsSet). */
  write_products: "products and variants for recommendations; recommendation metafields on products",
  /** Customer sync, segment write-back tags, "for you" metafields on customers. */
  write_customers: "customers for segments and scores; tags and metafields written back to customers",
  /** Order sync (orders, line items, refunds). */
  read_orders: "orders, line items and refunds: the history every model learns from",
  /**
   * Orders older than 60 days. Not granted by declaring it: the app must first be approved for it
   * in the Partner Dashboard (API access → "Read all orders"); until then Shopify returns only the
   * last 60 days and the app says so on its home page.
   * https://shopify.dev/docs/api/admin-graphql/latest/objects/Order (note on the 60-day default)
   */
  read_all_orders: "order history older than 60 days (needs Partner Dashboard approval)",
  /** Per-customer codes of the automations (discountCodeBasicCreate / Bxgy / Delete / ByCode). */
  write_discounts: "unique expiring discount codes for automations",
  /**
   * Configuring the `[app_proxy]` of shopify.app.toml requires it
   * (https://shopify.dev/docs/apps/build/online-store/app-proxies).
   */
  write_app_proxy: "the storefront app proxy (/apps/growthpilot) for cart-drawer recommendations",
} as const;

export type AppScope = keyof typeof APP_SCOPE_REASONS;

export const APP_SCOPES = Object.keys(APP_SCOPE_REASONS) as AppScope[];
