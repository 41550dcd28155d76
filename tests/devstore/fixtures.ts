/** Tiny deterministic fixtures for stand-in tests (the seeded generator lives elsewhere). */
import type { DsShop, DsOrder } from "../../devstore/model.js";
import { createEmptyShop, mintGid } from "../../devstore/shop.js";
import { startDevStore, type DevStoreOptions } from "../../devstore/server.js";

export const API_KEY = "test-api-key";
export const API_SECRET = "test-api-secret";
export const TOKEN = "shpat_test";

const DAY = 86_400_000;
const T0 = Date.parse("2024-01-01T00:00:00Z");

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** A shop with `products` products (1 variant each), `customers` customers, and `orders` orders. */
export function buildShop(domain = "alpha.myshopify.com", counts = { products: 5, customers: 10, orders: 20 }): DsShop {
  const shop = createEmptyShop(domain, { name: "Alpha" });
  shop.accessTokens.add(TOKEN);
  const variants: string[] = [];
  for (let i = 0; i < counts.products; i++) {
    const id = mintGid(shop, "Product");
    const variantId = mintGid(shop, "ProductVariant");
    const at = iso(T0 + i * DAY);
    shop.products.set(id, {
      id,
      title: `Product ${i}`,
      handle: `product-${i}`,
      descriptionHtml: "<p>x</p>",
      productType: "Tea",
      vendor: "Acme",
      tags: i % 2 ? ["odd"] : ["even"],
      status: i === 0 ? "DRAFT" : "ACTIVE",
      publishedAt: i === 0 ? null : at,
      isGiftCard: false,
      collections: ["All"],
      variantIds: [variantId],
      metafields: [],
      createdAt: at,
      updatedAt: at,
    });
    shop.variants.set(variantId, {
      id: variantId,
      productId: id,
      title: "Default Title",
      sku: `SKU-${i}`,
      price: "10.00",
      compareAtPrice: null,
      inventoryQuantity: 5,
      inventoryPolicy: "DENY",
      inventoryItemId: `gid://shopify/InventoryItem/${9000 + i}`,
      unitCost: { amount: "4.00", currencyCode: "USD" },
      createdAt: at,
      updatedAt: at,
    });
    variants.push(variantId);
  }
  const customers: string[] = [];
  for (let i = 0; i < counts.customers; i++) {
    const id = mintGid(shop, "Customer");
    const at = iso(T0 + i * DAY);
    shop.customers.set(id, {
      id,
      email: `c${i}@example.com`,
      firstName: `C${i}`,
      lastName: "Test",
      tags: [],
      marketingState: "SUBSCRIBED",
      metafields: [],
      createdAt: at,
      updatedAt: at,
    });
    customers.push(id);
  }
  for (let i = 0; i < counts.orders; i++) {
    const order = makeOrder(shop, customers[i % customers.length], variants.slice(0, 1 + (i % 2)), T0 + i * DAY);
    shop.orders.set(order.id, order);
  }
  return shop;
}

export function makeOrder(shop: DsShop, customerId: string | null, variantIds: string[], at: number): DsOrder {
  const id = mintGid(shop, "Order");
  const lineItems = variantIds.map((variantId) => {
    const v = shop.variants.get(variantId)!;
    return {
      id: mintGid(shop, "LineItem"),
      name: `Item ${v.sku}`,
      sku: v.sku,
      quantity: 1,
      variantId,
      productId: v.productId,
      originalUnitPrice: v.price,
      discountedTotal: v.price,
      customAttributes: [],
    };
  });
  const total = (lineItems.length * 10).toFixed(2);
  return {
    id,
    name: `#${1000 + shop.orders.size}`,
    email: customerId ? shop.customers.get(customerId)!.email : null,
    customerId,
    createdAt: iso(at),
    updatedAt: iso(at),
    processedAt: iso(at),
    cancelledAt: null,
    financialStatus: "PAID",
    currencyCode: "USD",
    subtotal: total,
    totalDiscounts: "0.00",
    totalShipping: "0.00",
    totalTax: "0.00",
    total,
    discountCodes: [],
    customAttributes: [],
    lineItems,
    refunds: [],
  };
}

/** Starts a stand-in with one fixture shop and a controllable clock. */
export async function startFixtureStore(extra: Partial<DevStoreOptions> = {}, shops: DsShop[] = [buildShop()]) {
  let now = Date.parse("2025-01-01T00:00:00Z");
  const clock = () => now;
  const store = await startDevStore({
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    clock,
    shops,
    faults: { duplicateWebhookRate: 0 },
    ...extra,
  });
  const domain = shops[0].domain;
  async function gql(query: string, variables?: Record<string, unknown>, token = TOKEN) {
    const res = await fetch(`${store.url}/shops/${domain}/admin/api/2026-10/graphql.json`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token },
      body: JSON.stringify({ query, variables }),
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status: res.status, body: (await res.json()) as any };
  }
  return { store, gql, domain, advance: (ms: number) => void (now += ms), now: () => now };
}
