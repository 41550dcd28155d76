import { describe, expect, it } from "vitest";
import { compliancePayload } from "../../devstore/compliance";
import { generateShop } from "../../devstore/generator";
import {
  customerConsentPayload,
  customerTagsPayload,
  restBulkOperationFinish,
  restCustomer,
  restOrder,
  restProduct,
} from "../../devstore/webhook-payloads";
import { shapeDiff } from "../helpers/json-shape";
import { samplePayload } from "../helpers/shopify-samples";
import { WEBHOOK_TOPICS } from "~/services/webhooks/topics";

/**
 * The stand-in's webhook bodies against Shopify's published samples (API 2026-07), key by key
 * and recursively: same field set, same JSON types. A topic the stand-in never emits is listed
 * explicitly (docs/shopify/webhooks.md says why).
 */
const shop = generateShop({
  domain: "shape.myshopify.com",
  seed: 5,
  products: 4,
  customers: 6,
  orders: 12,
  start: "2026-01-01T00:00:00Z",
  end: "2026-03-01T00:00:00Z",
});
const order = [...shop.orders.values()].find((o) => o.customerId && o.lineItems.length > 0 && o.refunds.length === 0)!;
const product = [...shop.products.values()][0];
const customer = [...shop.customers.values()][0];

const standIn: Record<string, () => unknown> = {
  "orders/create": () => restOrder(shop, order),
  "orders/updated": () => restOrder(shop, order),
  "orders/cancelled": () => restOrder(shop, order),
  "products/create": () => restProduct(shop, product),
  "products/update": () => restProduct(shop, product),
  "customers/create": () => restCustomer(customer),
  "customers/update": () => restCustomer(customer),
  "customer.tags_added": () => customerTagsPayload(customer, ["vip"], "2026-02-01T00:00:00.000Z"),
  "customer.tags_removed": () => customerTagsPayload(customer, ["vip"], "2026-02-01T00:00:00.000Z"),
  "customers_email_marketing_consent/update": () => customerConsentPayload(customer, "2026-02-01T00:00:00.000Z"),
  "bulk_operations/finish": () =>
    restBulkOperationFinish({
      id: "gid://shopify/BulkOperation/1",
      status: "COMPLETED",
      type: "QUERY",
      errorCode: null,
      createdAt: "2026-02-01T00:00:00Z",
      completedAt: "2026-02-01T00:01:00Z",
    } as never),
  "customers/data_request": () => compliancePayload(shop, "customers/data_request", customer.id),
  "customers/redact": () => compliancePayload(shop, "customers/redact", customer.id),
  "shop/redact": () => compliancePayload(shop, "shop/redact"),
  "app/uninstalled": () => compliancePayload(shop, "app/uninstalled"),
};
/** Subscribed topics the stand-in does not emit (their handlers are covered by the samples through the route). */
const NOT_EMITTED = ["refunds/create", "products/delete", "customers/delete", "app/scopes_update"];

describe("stand-in webhook payloads have Shopify's shape", () => {
  it("every subscribed topic is either emitted by the stand-in or listed as not emitted", () => {
    expect([...Object.keys(standIn), ...NOT_EMITTED].sort()).toEqual([...WEBHOOK_TOPICS].sort());
  });

  it.each(Object.keys(standIn))("%s: same field set and JSON types as Shopify's sample", (topic) => {
    expect(shapeDiff(samplePayload(topic), standIn[topic]())).toEqual([]);
  });
});
