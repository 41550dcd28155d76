import { describe, expect, it } from "vitest";
import { WebhookPayloadError } from "~/services/webhooks/payload-error";
import { validateWebhookPayload } from "~/services/webhooks/payload.server";
import { customerPayload, orderPayload, productPayload, refundPayload } from "../../fuzz/payloads";

/**
 * The pre-write check behind the webhook route's 400s (tests/fuzz/webhooks.fuzz.test.ts drives it
 * with random payloads through the route; these are the named cases).
 */
const ok = (topic: string, payload: unknown) => expect(() => validateWebhookPayload(topic, payload)).not.toThrow();
const bad = (topic: string, payload: unknown, message: RegExp) => {
  expect(() => validateWebhookPayload(topic, payload)).toThrow(WebhookPayloadError);
  expect(() => validateWebhookPayload(topic, payload)).toThrow(message);
};

describe("validateWebhookPayload", () => {
  it("accepts what Shopify sends", () => {
    ok("orders/create", orderPayload(1));
    ok("products/update", productPayload(2));
    ok("customers/update", customerPayload(3));
    ok("refunds/create", refundPayload(1));
    ok("customers/redact", {
      shop_id: 1,
      shop_domain: "x.myshopify.com",
      customer: { id: 3 },
      orders_to_redact: [1, "2"],
    });
    ok("shop/redact", { shop_id: 1, shop_domain: "x.myshopify.com" });
    ok("some/future_topic", { x: 1 }); // ignored topics
  });

  it("refuses payloads the handlers cannot map or Postgres cannot store", () => {
    bad("orders/create", { ...orderPayload(1), updated_at: "yesterday" }, /Not a timestamp/);
    bad("orders/create", { ...orderPayload(1), total_price: "12.3.4" }, /Not a decimal amount/);
    bad("orders/create", { ...orderPayload(1), total_price: "30000000.00" }, /totalMinor/);
    bad("orders/create", { ...orderPayload(1), name: "#1\u0000" }, /name contains a NUL byte/);
    bad(
      "orders/create",
      { ...orderPayload(1), line_items: [{ ...orderPayload(1).line_items[0], quantity: "2" }] },
      /line_items\.0\.quantity/,
    );
    bad("orders/create", { ...orderPayload(1), line_items: "none" }, /orders\/create: line_items/);
    bad("orders/create", { ...orderPayload(1), id: undefined, admin_graphql_api_id: undefined }, /orders\/create: id/);
    bad("orders/create", { ...orderPayload(1), updated_at: "+275000-01-01T00:00:00Z" }, /timestamp out of range/);
    bad("products/update", { ...productPayload(2), tags: 5 }, /products\/update/);
    bad("customers/delete", {}, /customers\/delete: id/);
    bad("refunds/create", { ...refundPayload(1), order_id: null }, /order_id/);
    bad(
      "customers/redact",
      { shop_id: 1, shop_domain: "x.myshopify.com", customer: { id: 3 }, orders_to_redact: "1,2" },
      /customers\/redact: orders_to_redact/,
    );
    bad("app/scopes_update", { current: ["read_orders\u0000"] }, /NUL/);
    bad("app/uninstalled", "anything", /app\/uninstalled/);
    bad("shop/redact", null, /shop\/redact/);
  });

  it("runs before enqueueing too: with REDIS_URL a bad payload never reaches the queue", async () => {
    process.env.REDIS_URL = "redis://127.0.0.1:1"; // nothing listens: enqueueing would fail differently
    const { acceptWebhook } = await import("~/services/webhooks/intake.server");
    await expect(
      acceptWebhook({
        shop: "x.myshopify.com",
        topic: "orders/create",
        webhookId: "w1",
        triggeredAt: new Date().toISOString(),
        payload: { id: 1 },
      }),
    ).rejects.toBeInstanceOf(WebhookPayloadError);
  });
});
