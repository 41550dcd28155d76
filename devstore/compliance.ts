/**
 * Mandatory compliance webhooks and app/uninstalled. The three GDPR topics are not subscribable
 * through the API (they are configured in shopify.app.toml), so the control API delivers them to
 * an explicit URL.
 */
import type { DsShop } from "./model.js";
import { gidNumber } from "./shop.js";

export const COMPLIANCE_TOPICS = ["customers/data_request", "customers/redact", "shop/redact", "app/uninstalled"] as const;
export type ComplianceTopic = (typeof COMPLIANCE_TOPICS)[number];

const SHOP_ID = 1;

/** Body for a compliance topic; `customerId` picks the customer for the customer topics. */
export function compliancePayload(shop: DsShop, topic: ComplianceTopic, customerId?: string): unknown {
  const customer = customerId ? shop.customers.get(customerId) : shop.customers.values().next().value;
  const orders = customer ? [...shop.orders.values()].filter((o) => o.customerId === customer.id).map((o) => gidNumber(o.id)) : [];
  const customerRef = customer ? { id: gidNumber(customer.id), email: customer.email, phone: null } : null;
  switch (topic) {
    case "customers/data_request":
      return { shop_id: SHOP_ID, shop_domain: shop.domain, orders_requested: orders, customer: customerRef, data_request: { id: Date.now() % 100000 } };
    case "customers/redact":
      return { shop_id: SHOP_ID, shop_domain: shop.domain, customer: customerRef, orders_to_redact: orders };
    case "shop/redact":
      return { shop_id: SHOP_ID, shop_domain: shop.domain };
    case "app/uninstalled":
      return { id: SHOP_ID, name: shop.name, email: `owner@${shop.domain}`, domain: shop.domain, myshopify_domain: shop.domain, currency: shop.currencyCode, iana_timezone: shop.ianaTimezone };
  }
}
