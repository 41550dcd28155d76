import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateShop } from "../../devstore/generator";
import { startDevStore, type DevStore } from "../../devstore/server";
import { expectedCounts } from "../services/sync/helpers";
import { isolatedAppEnv } from "../helpers/app-env";

/**
 * Expiring offline tokens (https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/offline-access-tokens):
 * the library's token exchange asks for an expiring token, the stand-in issues it with a refresh
 * token and a short life, and when it expires in the middle of a sync Shopify's 401 makes the
 * client refresh through the library (`unauthenticated.admin`) and carry on — exact counts.
 */
const SHOP = "token-expiry.myshopify.com";
const API_KEY = "token-expiry-key";
const API_SECRET = "token-expiry-secret-0123456789abcdef0123456789ab";
const TTL_S = 600;
const appEnv = isolatedAppEnv("token-expiry", { apiKey: API_KEY, apiSecret: API_SECRET });

let store: DevStore;
/** The stand-in's clock runs ahead of real time by this much (expires tokens without waiting). */
let ahead = 0;
let app: {
  exchangeOfflineToken: typeof import("~/services/shop/install.server").exchangeOfflineToken;
  getDb: typeof import("~/db.server").getDb;
  closeDb: typeof import("~/db.server").closeDb;
  getJobQueue: typeof import("~/jobs/queue.server").getJobQueue;
  closeJobQueue: typeof import("~/jobs/queue.server").closeJobQueue;
  sessionStorage: typeof import("~/shopify.server").sessionStorage;
  offline: typeof import("~/shopify/offline-session.server");
  sync: typeof import("~/services/sync/shop-sync.server");
  admin: typeof import("~/shopify/admin-client.server");
};

beforeAll(async () => {
  const shop = generateShop({
    domain: SHOP,
    seed: 3,
    products: 10,
    customers: 30,
    orders: 120,
    start: "2025-06-01T00:00:00Z",
    end: "2026-11-01T00:00:00Z",
  });
  store = await startDevStore({
    port: 0,
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    shops: [shop],
    autoDeliverWebhooks: false,
    clock: () => Date.now() + ahead,
    offlineTokenTtlSeconds: TTL_S,
  });
  process.env.DEVSTORE_URL = store.url;
  process.env.SHOPIFY_APP_URL = "http://localhost:3000";
  app = {
    ...(await import("~/services/shop/install.server")),
    ...(await import("~/db.server")),
    ...(await import("~/jobs/queue.server")),
    sessionStorage: (await import("~/shopify.server")).sessionStorage,
    offline: await import("~/shopify/offline-session.server"),
    sync: await import("~/services/sync/shop-sync.server"),
    admin: await import("~/shopify/admin-client.server"),
  };
  // Install, and let the afterAuth pipeline finish so the test's own syncs run alone.
  const queue = await app.getJobQueue();
  const done = new Promise<void>((resolve) => {
    const off = queue.on("completed", (job) => {
      if (job.name === "metafields.write") {
        off();
        resolve();
      }
    });
  });
  await app.exchangeOfflineToken({
    shop: SHOP,
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    appUrl: "http://localhost:3000",
    now: new Date(),
  });
  await done;
});

afterAll(async () => {
  await app?.closeJobQueue();
  await app?.closeDb();
  await store?.close();
  appEnv.cleanup();
});

/** Expires every token issued so far (the stand-in's clock jumps past their lifetime). */
function expireTokens() {
  ahead += (TTL_S + 1) * 1000;
}

describe("expiring offline tokens", () => {
  it("token exchange stores an expiring offline session with a refresh token", async () => {
    const session = (await app.sessionStorage.loadSession(`offline_${SHOP}`))!;
    expect(session.refreshToken).toMatch(/^shprt_/);
    expect(session.expires!.getTime()).toBeGreaterThan(Date.now());
    expect(session.expires!.getTime()).toBeLessThanOrEqual(Date.now() + TTL_S * 1000);
  });

  it("a sync whose token expires midway refreshes through the library and ends with exact counts", async () => {
    const { prisma } = await app.getDb();
    await prisma.order.deleteMany({ where: { shop: SHOP } });
    const client = await app.offline.offlineAdminClient(SHOP);
    const refreshesBefore = store.tokenRefreshes();
    let expired = false;
    const results = await app.sync.runInitialSync(
      {
        prisma,
        client,
        sleep: async () => {},
        batchSize: 10,
        // After the first committed batch of products the token dies: the next Admin call
        // (customers' bulkOperationRunQuery) gets Shopify's 401.
        onBatch: ({ resource }) => {
          if (resource === "products" && !expired) {
            expired = true;
            expireTokens();
          }
        },
      },
      SHOP,
    );
    expect(results.map((r) => [r.resource, r.status, r.error])).toEqual([
      ["products", "COMPLETED", null],
      ["customers", "COMPLETED", null],
      ["orders", "COMPLETED", null],
    ]);
    expect(store.tokenRefreshes()).toBeGreaterThan(refreshesBefore);
    const ds = store.shops.get(SHOP)!;
    const expected = expectedCounts(ds);
    expect(await prisma.order.count({ where: { shop: SHOP } })).toBe(expected.orders);
    expect(await prisma.orderLine.count({ where: { shop: SHOP } })).toBe(expected.lines);
    expect(await prisma.customer.count({ where: { shop: SHOP } })).toBe(expected.customers);
    expect(results[2].rowsUpserted).toBe(expected.orders);
    // The refreshed pair was stored (the next job starts from it).
    const session = (await app.sessionStorage.loadSession(`offline_${SHOP}`))!;
    expect(ds.accessTokens.has(session.accessToken!)).toBe(true);
  });

  it("an expired token is answered with Shopify's 401 (a client without the refresh path fails)", async () => {
    const token = (await app.sessionStorage.loadSession(`offline_${SHOP}`))!.accessToken!;
    expireTokens();
    const res = await fetch(`${store.url}/shops/${SHOP}/admin/api/2026-10/graphql.json`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token },
      body: JSON.stringify({ query: "{ shop { name } }" }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      errors: "[API] Invalid API key or access token (unrecognized login or wrong password)",
    });
    const raw = app.admin.createAdminClient({ shop: SHOP, accessToken: token, baseUrl: store.url });
    await expect(raw.request("{ shop { name } }")).rejects.toMatchObject({ name: "ShopifyAuthError" });
    // The library path gets a working client again.
    const client = await app.offline.offlineAdminClient(SHOP);
    await expect(client.request<{ shop: { name: string } }>("{ shop { name } }")).resolves.toMatchObject({
      shop: { name: expect.any(String) },
    });
  });
});
