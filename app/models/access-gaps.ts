/**
 * Access Shopify can withhold from the app even though the TOML asks for it, and what the
 * merchant or developer must do about each. Stored on `Shop.accessGaps` by the sync; shown on
 * the admin home. Pure (no Prisma) so the UI and tests share the wording.
 */
export const ACCESS_GAPS = {
  /**
   * Level 2 protected customer fields (name, email, phone, address) not approved: Shopify redacts
   * them (https://shopify.dev/docs/apps/launch/protected-customer-data). Segments and scores still
   * work; emails and personalised names do not.
   */
  protected_customer_data: {
    title: "Customer names and emails are hidden by Shopify",
    impact:
      "Customers are synced without name and email: segments and scores work, email automations cannot reach them.",
    action:
      "The app developer must request access in the Partner Dashboard: Apps → Growthpilot → API access → Protected customer data → select Name and Email, give the reasons, submit for review.",
  },
  /**
   * `read_all_orders` not granted: only the last 60 days of orders are visible
   * (https://shopify.dev/docs/api/admin-graphql/latest/objects/Order, note).
   */
  read_all_orders: {
    title: "Only the last 60 days of orders are visible",
    impact: "Scores and recommendations learn from 60 days of history instead of the full order history.",
    action:
      "The app developer must request the read_all_orders scope in the Partner Dashboard (Apps → Growthpilot → API access → Read all orders); once approved, reopen the app so it asks for the scope, then run a full sync.",
  },
} as const;

export type AccessGap = keyof typeof ACCESS_GAPS;

export function isAccessGap(value: unknown): value is AccessGap {
  return typeof value === "string" && value in ACCESS_GAPS;
}
