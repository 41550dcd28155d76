/**
 * Access scopes the app requests (mirrored in shopify.app.toml, checked by a test):
 * catalogue + inventory cost for recommendations and margin, customers for segments and
 * write-back (tags, metafields), all orders for history beyond Shopify's default 60 days,
 * discounts for automations, products write for app-owned recommendation metafields.
 */
export const APP_SCOPES = [
  "read_products",
  "write_products",
  "read_inventory",
  "read_customers",
  "write_customers",
  "read_orders",
  "read_all_orders",
  "read_discounts",
  "write_discounts",
] as const;
