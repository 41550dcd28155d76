import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isolatedAppEnv, type RouteHandler } from "../helpers/app-env";
import { sampleBody, samplePayload } from "../helpers/shopify-samples";
import { routeStatus, signedWebhookRequest } from "../helpers/webhook-request";

/**
 * Shopify's published sample payload of every subscribed topic, signed and POSTed through the real
 * /webhooks route (Shopify's library verifies the HMAC): each gets a 2xx and lands exactly —
 * money in minor units, order lines pointing at the sample product, the refund applied, ids kept
 * to the digit (REST ids above 2^53), and customers/update leaving tags and consent alone.
 */
const SECRET = "samples-secret";
/** Each test delivers into its own shop, so none reads rows another test's deliveries left behind. */
const shopFor = (test: string) => `samples-${test}.myshopify.com`;
const appEnv = isolatedAppEnv("samples", { apiKey: "samples-key", apiSecret: SECRET });

let action: RouteHandler;
let TOPICS: readonly string[];
let getDb: typeof import("~/db.server").getDb;
let closeDb: typeof import("~/db.server").closeDb;

const ORDER = "gid://shopify/Order/820982911946154508";
const PRODUCT = "gid://shopify/Product/788032119674292922";
const CUSTOMER = "gid://shopify/Customer/706405506930370084";

beforeAll(async () => {
  ({ action } = (await import("~/routes/webhooks")) as unknown as { action: RouteHandler });
  ({ WEBHOOK_TOPICS: TOPICS } = await import("~/services/webhooks/topics"));
  ({ getDb, closeDb } = await import("~/db.server"));
  await getDb();
});
afterAll(async () => {
  await closeDb();
  appEnv.cleanup();
});

async function deliver(topic: string, shop: string): Promise<number> {
  const result = await routeStatus(
    action,
    signedWebhookRequest(SECRET, { topic, shop, body: sampleBody(topic, shop, TOPICS) }),
  );
  if (result.error) throw result.error;
  return result.status;
}

/** Delivers what a test builds on (its own assertions follow); each must answer 200. */
async function deliverAll(topics: string[], shop: string) {
  for (const topic of topics) expect(await deliver(topic, shop), topic).toBe(200);
}

describe("Shopify's webhook samples through POST /webhooks", () => {
  it("has a published sample for every subscribed topic", () => {
    for (const topic of TOPICS) expect(() => samplePayload(topic), topic).not.toThrow();
  });

  it("products/create|update (created_at: null) → 200, product and variants with exact ids", async () => {
    const SHOP = shopFor("products");
    expect(await deliver("products/create", SHOP)).toBe(200);
    expect(await deliver("products/update", SHOP)).toBe(200);
    const { prisma } = await getDb();
    const product = await prisma.product.findUniqueOrThrow({ where: { shop_gid: { shop: SHOP, gid: PRODUCT } } });
    expect(product.title).toBe("Example T-Shirt");
    expect(product.tags).toEqual(["example", "mens", "t-shirt"]);
    const variants = await prisma.variant.findMany({
      where: { shop: SHOP, productGid: PRODUCT },
      orderBy: { gid: "asc" },
    });
    expect(variants.length).toBeGreaterThan(0);
    expect(variants.map((v) => v.gid)).toContain("gid://shopify/ProductVariant/642667041472713922");
    expect(variants.find((v) => v.gid.endsWith("/642667041472713922"))!.priceMinor).toBe(1999);
  });

  it("orders/create|updated|cancelled → 200, money exact and lines pointing at the sample product", async () => {
    const SHOP = shopFor("orders");
    await deliverAll(["products/create"], SHOP);
    for (const topic of ["orders/create", "orders/updated", "orders/cancelled"])
      expect(await deliver(topic, SHOP), topic).toBe(200);
    const { prisma } = await getDb();
    const order = await prisma.order.findUniqueOrThrow({
      where: { shop_gid: { shop: SHOP, gid: ORDER } },
      include: { lines: true },
    });
    expect([order.totalMinor, order.subtotalMinor, order.discountMinor, order.shippingMinor]).toEqual([
      40495, 40495, 2000, 1000,
    ]);
    expect(order.cancelledAt).not.toBeNull();
    expect(order.lines).toHaveLength(5);
    const aviator = order.lines.find((l) => l.gid === "gid://shopify/LineItem/487817672276298554")!;
    expect([aviator.productGid, aviator.unitPriceMinor, aviator.quantity]).toEqual([PRODUCT, 8999, 1]);
    expect(order.lines.filter((l) => l.productGid === PRODUCT)).toHaveLength(3);
    expect(order.lines.filter((l) => l.productGid === null)).toHaveLength(2);
  });

  it("refunds/create → 200 and applied to the sample order (order_id above 2^53)", async () => {
    const SHOP = shopFor("refunds");
    await deliverAll(["products/create", "orders/create"], SHOP);
    expect(await deliver("refunds/create", SHOP)).toBe(200);
    const { prisma } = await getDb();
    const order = await prisma.order.findUniqueOrThrow({
      where: { shop_gid: { shop: SHOP, gid: ORDER } },
      include: { lines: true },
    });
    expect(order.refundedMinor).toBe(7500 + 1000); // the sample's two successful refund transactions
    expect(order.lines.map((l) => l.refundedQty)).toEqual([1, 1, 1, 1, 1]);
    expect(await deliver("refunds/create", SHOP)).toBe(200); // a second delivery (new webhook id) of the same refund
    expect(
      (await prisma.order.findUniqueOrThrow({ where: { shop_gid: { shop: SHOP, gid: ORDER } } })).refundedMinor,
    ).toBe(8500);
  });

  it("customers/create|update → 200; the update sample leaves stored tags and consent as they were", async () => {
    const SHOP = shopFor("customers");
    expect(await deliver("customers/create", SHOP)).toBe(200);
    const { prisma } = await getDb();
    const where = { shop_gid: { shop: SHOP, gid: CUSTOMER } };
    expect((await prisma.customer.findUniqueOrThrow({ where })).email).toBe("bob@biller.com");
    await prisma.customer.update({ where, data: { tags: ["vip", "wholesale"], marketingState: "SUBSCRIBED" } });
    expect(await deliver("customers/update", SHOP)).toBe(200);
    const row = await prisma.customer.findUniqueOrThrow({ where });
    expect([row.tags, row.marketingState, row.firstName]).toEqual([["vip", "wholesale"], "SUBSCRIBED", "Bob"]);
  });

  it("customers_email_marketing_consent/update → 200 and sets the sample customer's consent", async () => {
    const SHOP = shopFor("consent");
    await deliverAll(["customers/create"], SHOP);
    const { prisma } = await getDb();
    const where = { shop_gid: { shop: SHOP, gid: CUSTOMER } };
    // The create sample's own consent, so the assertion below sees the consent sample's change.
    await prisma.customer.update({ where, data: { marketingState: "SUBSCRIBED" } });
    expect(await deliver("customers_email_marketing_consent/update", SHOP)).toBe(200);
    expect((await prisma.customer.findUniqueOrThrow({ where })).marketingState).toBe("NOT_SUBSCRIBED");
  });

  it("customer.tags_added / customer.tags_removed → 200 and change the tags", async () => {
    const SHOP = shopFor("tags");
    const { prisma } = await getDb();
    const where = { shop_gid: { shop: SHOP, gid: "gid://shopify/Customer/1" } };
    expect(await deliver("customer.tags_added", SHOP)).toBe(200);
    expect((await prisma.customer.findUniqueOrThrow({ where })).tags.sort()).toEqual(["tag1", "tag2"]);
    expect(await deliver("customer.tags_removed", SHOP)).toBe(200);
    expect((await prisma.customer.findUniqueOrThrow({ where })).tags).toEqual([]);
  });

  it("products/delete, customers/delete, bulk_operations/finish, app/scopes_update → 200", async () => {
    const SHOP = shopFor("deletes");
    await deliverAll(["products/create", "customers/create"], SHOP);
    const { prisma } = await getDb();
    expect(await prisma.customer.count({ where: { shop: SHOP, gid: CUSTOMER } })).toBe(1);
    for (const topic of ["products/delete", "customers/delete", "bulk_operations/finish", "app/scopes_update"])
      expect(await deliver(topic, SHOP), topic).toBe(200);
    expect(
      (await prisma.product.findUniqueOrThrow({ where: { shop_gid: { shop: SHOP, gid: PRODUCT } } })).deletedAt,
    ).not.toBeNull();
    expect(await prisma.customer.count({ where: { shop: SHOP, gid: CUSTOMER } })).toBe(0);
  });

  it("compliance samples → 200: data_request, redact, then app/uninstalled and shop/redact erase the shop", async () => {
    const SHOP = shopFor("compliance");
    await deliverAll(["products/create", "orders/create", "customers/create"], SHOP);
    const { prisma } = await getDb();
    expect([
      await prisma.order.count({ where: { shop: SHOP } }),
      await prisma.customer.count({ where: { shop: SHOP } }),
    ]).toEqual([1, 1]);
    expect(await deliver("customers/data_request", SHOP)).toBe(200);
    expect(await deliver("customers/redact", SHOP)).toBe(200);
    expect(await deliver("app/uninstalled", SHOP)).toBe(200);
    expect((await prisma.shop.findUniqueOrThrow({ where: { shop: SHOP } })).uninstalledAt).not.toBeNull();
    expect(await deliver("shop/redact", SHOP)).toBe(200);
    expect(await prisma.order.count({ where: { shop: SHOP } })).toBe(0);
    expect(await prisma.customer.count({ where: { shop: SHOP } })).toBe(0);
    expect(await prisma.shop.count({ where: { shop: SHOP } })).toBe(0);
  });

  it("covers every subscribed topic", () => {
    const covered = [
      "products/create",
      "products/update",
      "orders/create",
      "orders/updated",
      "orders/cancelled",
      "refunds/create",
      "customers/create",
      "customers/update",
      "customers_email_marketing_consent/update",
      "customer.tags_added",
      "customer.tags_removed",
      "products/delete",
      "customers/delete",
      "bulk_operations/finish",
      "app/scopes_update",
      "customers/data_request",
      "customers/redact",
      "app/uninstalled",
      "shop/redact",
    ];
    expect([...covered].sort()).toEqual([...TOPICS].sort());
  });
});
