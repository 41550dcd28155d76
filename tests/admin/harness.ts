import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { PrismaClient } from "@prisma/client";
import { generateShop } from "../../devstore/generator";
import type { DsShop } from "../../devstore/model";
import { startDevStore, type DevStore } from "../../devstore/server";
import { upliftSimulator } from "../../devstore/simulate-uplift";
import { OFFER_TRIGGER_HANDLE, OFFER_TRIGGER_KEYS } from "../../app/shopify/flow-trigger";
import { ensureBuild } from "./global-setup";

/**
 * The admin under test, in this process: a small generated shop in the Shopify stand-in, the app
 * installed on it (offline session), a full bulk sync and a scoring run into a fresh PGlite
 * DATA_DIR, and the production Remix build served on a random port in demo mode (auth bypass for
 * the demo shop). Env is set before any app module loads, because env.server.ts parses it once.
 */
export const SHOP = "admin-test.myshopify.com";
export const TOKEN = "shpat_admin_test_token";
const API_KEY = "admin-test-key";
export const API_SECRET = "admin-test-secret";
const DAY_MS = 86_400_000;

export interface AdminHarness {
  url: string;
  prisma: PrismaClient;
  store: DevStore;
  shop: DsShop;
  close(): Promise<void>;
}

export async function startAdmin(size = { products: 40, customers: 300, orders: 2000 }): Promise<AdminHarness> {
  const t0 = Date.now();
  const lap = (what: string) => process.env.ADMIN_TEST_TIMING && console.log(`${what}: ${Date.now() - t0} ms`);
  ensureBuild();
  lap("build");
  const dataDir = mkdtempSync(path.join(tmpdir(), "gp-admin-"));
  const end = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS);
  const shop = generateShop({
    domain: SHOP,
    seed: 42,
    ...size,
    start: new Date(end.getTime() - 2 * 365 * DAY_MS).toISOString(),
    end: end.toISOString(),
  });
  lap("generate");
  shop.accessTokens.add(TOKEN);
  const store = await startDevStore({
    port: 0,
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    shops: [shop],
    autoDeliverWebhooks: false,
    faults: { duplicateWebhookRate: 0 },
    flowTriggers: { [OFFER_TRIGGER_HANDLE]: OFFER_TRIGGER_KEYS },
    simulate: upliftSimulator,
  });

  Object.assign(process.env, {
    NODE_ENV: "test",
    DEMO_MODE: "1",
    DEMO_SHOP: SHOP,
    DATA_DIR: dataDir,
    DEVSTORE_URL: store.url,
    SHOPIFY_API_KEY: API_KEY,
    SHOPIFY_API_SECRET: API_SECRET,
  });
  delete process.env.DATABASE_URL;
  delete process.env.REDIS_URL;

  const { getDb, closeDb } = await import("~/db.server");
  const { recordInstall } = await import("~/models/shops.server");
  const { runInitialSync } = await import("~/services/sync/shop-sync.server");
  const { runScoring } = await import("~/services/scoring/run.server");
  const { createAdminClient } = await import("~/shopify/admin-client.server");
  const { loadServerBuild, startHttpServer } = await import("~/server/http.server");

  lap("imports");
  const { prisma } = await getDb();
  lap("db");
  await recordInstall(prisma, SHOP, { name: "Admin Test Shop", currencyCode: "USD", ianaTimezone: "UTC" });
  // What token exchange leaves behind at install: the offline session the admin's actions use.
  await prisma.session.create({
    data: {
      id: `offline_${SHOP}`,
      shop: SHOP,
      state: "",
      isOnline: false,
      scope: "read_products,read_customers,write_customers,read_orders",
      accessToken: TOKEN,
    },
  });
  const client = createAdminClient({ shop: SHOP, accessToken: TOKEN, baseUrl: store.url, sleep: async () => {} });
  await runInitialSync(
    { prisma, client, pollIntervalMs: 20, sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 20))) },
    SHOP,
  );
  lap("sync");
  await runScoring({ prisma }, SHOP);
  lap("scoring");

  const http = await startHttpServer({ port: 0, build: await loadServerBuild(), mode: "production" });
  // The merchant has a workflow on the offer trigger: Flow's signed lifecycle callback, through the
  // app's real route, marks it in use (D28) so runs start one trigger per treated customer.
  const workflow = await fetch(`${store.url}/_devstore/shops/${SHOP}/flow-workflow`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ url: `${http.url}/flow/lifecycle`, enabled: true }),
  });
  if (!((await workflow.json()) as { accepted?: boolean }).accepted)
    throw new Error("the app refused the Flow lifecycle callback");
  return {
    url: http.url,
    prisma,
    store,
    shop,
    async close() {
      // Admin actions run as jobs on the in-process queue: let them (and what they chain) finish.
      const { closeJobQueue, waitForJobsIdle } = await import("~/jobs/queue.server");
      await waitForJobsIdle();
      await http.close();
      await closeJobQueue();
      await store.close();
      await closeDb();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
