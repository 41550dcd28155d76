import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateShop } from "../../devstore/generator";
import { startDevStore, type DevStore } from "../../devstore/server";
import { nextCompleted } from "../helpers/job-events";
import { isolatedAppEnv } from "../helpers/app-env";

/**
 * Install → first sync on a real-store path: the library's token exchange (as Shopify's admin
 * triggers it) runs the app's afterAuth hook, which records the shop with Shopify's own currency,
 * timezone and plan, and enqueues the first sync; the sync chains scoring and the metafield write.
 * An uninstall followed by a re-install clears `uninstalledAt` and catches up with a reconcile.
 */
/** One shop per test: the re-install test installs its own shop first instead of relying on the other test. */
const FIRST_INSTALL = "lifecycle-test.myshopify.com";
const REINSTALL = "lifecycle-reinstall.myshopify.com";
const API_KEY = "lifecycle-key";
const API_SECRET = "lifecycle-secret-0123456789abcdef0123456789abcdef";
const appEnv = isolatedAppEnv("lifecycle", { apiKey: API_KEY, apiSecret: API_SECRET });

let store: DevStore;
let app: {
  exchangeOfflineToken: typeof import("~/services/shop/install.server").exchangeOfflineToken;
  getDb: typeof import("~/db.server").getDb;
  closeDb: typeof import("~/db.server").closeDb;
  getJobQueue: typeof import("~/jobs/queue.server").getJobQueue;
  closeJobQueue: typeof import("~/jobs/queue.server").closeJobQueue;
  markShopUninstalled: typeof import("~/models/shop-data.server").markShopUninstalled;
  sessionStorage: typeof import("~/shopify.server").sessionStorage;
};

function lifecycleShop(domain: string) {
  const shop = generateShop({
    domain,
    seed: 7,
    products: 12,
    customers: 40,
    orders: 150,
    start: "2025-06-01T00:00:00Z",
    end: "2026-11-01T00:00:00Z",
    currencyCode: "EUR",
  });
  shop.ianaTimezone = "Europe/Berlin";
  return shop;
}

beforeAll(async () => {
  store = await startDevStore({
    port: 0,
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    shops: [lifecycleShop(FIRST_INSTALL), lifecycleShop(REINSTALL)],
    autoDeliverWebhooks: false,
  });
  process.env.DEVSTORE_URL = store.url;
  process.env.SHOPIFY_APP_URL = "http://localhost:3000";
  const install = await import("~/services/shop/install.server");
  const db = await import("~/db.server");
  const jobs = await import("~/jobs/queue.server");
  const shopData = await import("~/models/shop-data.server");
  const shopify = await import("~/shopify.server");
  app = {
    exchangeOfflineToken: install.exchangeOfflineToken,
    ...db,
    ...jobs,
    markShopUninstalled: shopData.markShopUninstalled,
    sessionStorage: shopify.sessionStorage,
  };
});

afterAll(async () => {
  await app?.closeJobQueue();
  await app?.closeDb();
  await store?.close();
  appEnv.cleanup();
});

const jobDone = async (name: string) => nextCompleted(await app.getJobQueue(), name);

const install = (shop: string) =>
  app.exchangeOfflineToken({
    shop,
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    appUrl: "http://localhost:3000",
    now: new Date(),
  });

describe("install to first sync", () => {
  it("records the shop from Shopify and runs sync → scoring → metafields", async () => {
    const SHOP = FIRST_INSTALL;
    const metafieldsWritten = jobDone("metafields.write");
    await install(SHOP);
    await metafieldsWritten;
    const { prisma } = await app.getDb();
    const row = await prisma.shop.findUniqueOrThrow({ where: { shop: SHOP } });
    expect(row).toMatchObject({
      currencyCode: "EUR",
      ianaTimezone: "Europe/Berlin",
      planName: "Development",
      uninstalledAt: null,
    });
    const ds = store.shops.get(SHOP)!;
    expect(await prisma.order.count({ where: { shop: SHOP } })).toBe(ds.orders.size);
    expect(await prisma.product.count({ where: { shop: SHOP } })).toBe(ds.products.size);
    expect(await prisma.modelRun.count({ where: { shop: SHOP } })).toBe(1);
  });

  it("a re-install after an uninstall clears uninstalledAt and reconciles instead of re-importing", async () => {
    const SHOP = REINSTALL;
    const firstSyncDone = jobDone("metafields.write");
    await install(SHOP);
    await firstSyncDone;
    const { prisma } = await app.getDb();
    const before = await prisma.shop.findUniqueOrThrow({ where: { shop: SHOP } });
    expect(await prisma.syncRun.count({ where: { shop: SHOP, kind: "BULK" } })).toBe(3);
    await app.markShopUninstalled(prisma, SHOP, new Date());
    expect((await prisma.shop.findUniqueOrThrow({ where: { shop: SHOP } })).uninstalledAt).not.toBeNull();
    expect(await app.sessionStorage.loadSession(`offline_${SHOP}`)).toBeUndefined();

    const reconciled = jobDone("sync.reconcile");
    await install(SHOP);
    await reconciled;
    const after = await prisma.shop.findUniqueOrThrow({ where: { shop: SHOP } });
    expect(after.uninstalledAt).toBeNull();
    expect(after.installedAt.getTime()).toBeGreaterThan(before.installedAt.getTime());
    expect(await prisma.syncRun.count({ where: { shop: SHOP, kind: "BULK" } })).toBe(3);
  });
});
