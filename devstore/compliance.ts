/**
 * Mandatory compliance webhooks and app/uninstalled. The three GDPR topics are not subscribable
 * through the API (they are configured in shopify.app.toml), so the control API delivers them to
 * an explicit URL.
 */
import type { DsShop } from "./model.js";
import { gidNumber } from "./shop.js";

export const COMPLIANCE_TOPICS = [
  "customers/data_request",
  "customers/redact",
  "shop/redact",
  "app/uninstalled",
] as const;
export type ComplianceTopic = (typeof COMPLIANCE_TOPICS)[number];

const SHOP_ID = 1;

/** Body for a compliance topic; `customerId` picks the customer for the customer topics. */
export function compliancePayload(shop: DsShop, topic: ComplianceTopic, customerId?: string): unknown {
  const customer = customerId ? shop.customers.get(customerId) : shop.customers.values().next().value;
  const orders = customer
    ? [...shop.orders.values()].filter((o) => o.customerId === customer.id).map((o) => gidNumber(o.id))
    : [];
  const customerRef = customer ? { id: gidNumber(customer.id), email: customer.email, phone: null } : null;
  switch (topic) {
    case "customers/data_request":
      return {
        shop_id: SHOP_ID,
        shop_domain: shop.domain,
        orders_requested: orders,
        customer: customerRef,
        data_request: { id: Date.now() % 100000 },
      };
    case "customers/redact":
      return { shop_id: SHOP_ID, shop_domain: shop.domain, customer: customerRef, orders_to_redact: orders };
    case "shop/redact":
      return { shop_id: SHOP_ID, shop_domain: shop.domain };
    case "app/uninstalled":
      return restShop(shop);
  }
}

/**
 * app/uninstalled carries the REST Shop resource: Shopify's field set (sample of API 2026-07);
 * what the stand-in does not model (address, plan, checkout settings) is null / false.
 * https://shopify.dev/docs/api/webhooks?reference=toml#list-app-uninstalled
 */
function restShop(shop: DsShop) {
  const money = shop.currencyCode === "USD" ? "${{amount}}" : `{{amount}} ${shop.currencyCode}`;
  return {
    id: SHOP_ID,
    name: shop.name,
    email: `owner@${shop.domain}`,
    domain: shop.domain,
    province: null,
    country: null,
    address1: null,
    zip: null,
    city: null,
    source: null,
    phone: null,
    latitude: null,
    longitude: null,
    primary_locale: "en",
    address2: null,
    created_at: null,
    updated_at: null,
    country_code: null,
    country_name: null,
    currency: shop.currencyCode,
    customer_email: `owner@${shop.domain}`,
    timezone: null,
    iana_timezone: shop.ianaTimezone,
    shop_owner: null,
    money_format: money,
    money_with_currency_format: `${money} ${shop.currencyCode}`,
    weight_unit: "kg",
    province_code: null,
    taxes_included: null,
    auto_configure_tax_inclusivity: null,
    tax_shipping: null,
    county_taxes: null,
    plan_display_name: "Development",
    plan_name: "partner_test",
    has_discounts: shop.discounts.size > 0,
    has_gift_cards: false,
    myshopify_domain: shop.domain,
    google_apps_domain: null,
    google_apps_login_enabled: null,
    money_in_emails_format: money,
    money_with_currency_in_emails_format: `${money} ${shop.currencyCode}`,
    eligible_for_payments: false,
    requires_extra_payments_agreement: false,
    password_enabled: null,
    has_storefront: true,
    finances: false,
    primary_location_id: null,
    checkout_api_supported: false,
    multi_location_enabled: false,
    setup_required: false,
    pre_launch_enabled: false,
    enabled_presentment_currencies: [shop.currencyCode],
    marketing_sms_consent_enabled_at_checkout: false,
    transactional_sms_disabled: false,
  };
}
