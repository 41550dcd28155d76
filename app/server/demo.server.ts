import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { closeDb, getDb } from "../db.server";
import { env } from "../env.server";
import { closeJobQueue, getJobQueue } from "../jobs/queue.server";
import { SYNC_PIPELINE } from "../jobs/registry.server";
import { exchangeOfflineToken, registerWebhooks } from "../services/shop/install.server";
import { offlineAdminClient } from "../shopify/offline-session.server";
import { OFFER_TRIGGER_HANDLE, OFFER_TRIGGER_KEYS } from "../shopify/flow-trigger";
import { generateShop } from "../../devstore/generator";
import { startDevStore } from "../../devstore/server";
import { liveOrdersTick } from "../../devstore/live-orders";
import { upliftSimulator } from "../../devstore/simulate-uplift";
import { recordOrderCreated } from "../../devstore/webhooks";
import { sessionStorage } from "../shopify.server";
import { onShutdown } from "./main";
import { loadServerBuild, startHttpServer } from "./http.server";

/** Size of the demo shop (issue #2): ≈300 products, 3,000 customers, 20,000 orders over two years. */
export const DEMO_SHOP_SIZE = { products: 300, customers: 3000, orders: 20000, years: 2 };
const DEMO_SEED = 20261122;

/**
 * The demo shop is generated from a seed and a fixed end date stored next to the database, so a
 * restart rebuilds exactly the shop the database already mirrors.
 */
function demoShopSpec(dataDir: string) {
  const file = path.join(dataDir, "demo.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as { end: string; seed: number };
  const spec = { end: new Date().toISOString().slice(0, 10) + "T00:00:00Z", seed: DEMO_SEED };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(spec, null, 2));
  return spec;
}

/** The app's scopes as a shop grants them before Shopify approved `read_all_orders`. */
const DEMO_SCOPES_WITHOUT_ALL_ORDERS =
  "read_products,write_products,read_customers,write_customers,read_orders,read_discounts,write_discounts,write_app_proxy";

export async function runDemo() {
  const config = env();
  const devstoreUrl = new URL(config.DEVSTORE_URL ?? "http://127.0.0.1:3100");
  const shopDomain = config.DEMO_SHOP;
  const spec = demoShopSpec(config.DATA_DIR);
  const start = new Date(Date.parse(spec.end) - DEMO_SHOP_SIZE.years * 365 * 86_400_000).toISOString();

  console.log(`Generating the demo shop ${shopDomain} (seed ${spec.seed})…`);
  const { products, customers, orders } = DEMO_SHOP_SIZE;
  const shop = generateShop({ domain: shopDomain, seed: spec.seed, products, customers, orders, start, end: spec.end });
  const devstore = await startDevStore({
    port: Number(devstoreUrl.port),
    apiKey: config.SHOPIFY_API_KEY,
    apiSecret: config.SHOPIFY_API_SECRET,
    shops: [shop],
    simulate: upliftSimulator,
    // Expiring offline tokens with a short life: every job goes through the refresh path.
    offlineTokenTtlSeconds: config.DEMO_OFFLINE_TOKEN_TTL_SECONDS,
    // DEMO_LIMITED_ACCESS: no protected customer fields, no read_all_orders (docs/shopify/sync-and-auth.md).
    ...(config.DEMO_LIMITED_ACCESS ? { protectedCustomerFields: false, scopes: DEMO_SCOPES_WITHOUT_ALL_ORDERS } : {}),
    // The deployed Flow trigger of extensions/growthpilot-offer-issued, so flowTriggerReceive
    // accepts exactly the handle and keys its TOML declares (and refuses anything else).
    flowTriggers: { [OFFER_TRIGGER_HANDLE]: OFFER_TRIGGER_KEYS },
  });
  console.log(`Shopify stand-in on ${devstore.url}`);

  await getDb();
  // The in-memory stand-in forgets the tokens it issued when it stops, so the demo installs again
  // on every start: the stored offline session is dropped and token exchange runs — exactly what
  // Shopify's admin triggers when a token is missing — which runs the app's afterAuth hook
  // (services/shop/lifecycle.server.ts): shop recorded, then first sync → scoring → metafields as
  // jobs, or a reconcile when the database already mirrors the shop.
  await sessionStorage.deleteSession(`offline_${shopDomain}`);
  await exchangeOfflineToken({
    shop: shopDomain,
    apiKey: config.SHOPIFY_API_KEY,
    apiSecret: config.SHOPIFY_API_SECRET,
    appUrl: config.SHOPIFY_APP_URL,
    now: new Date(),
  });
  const client = await offlineAdminClient(shopDomain, { baseUrl: devstore.url });

  const http = await startHttpServer({ port: config.PORT, build: await loadServerBuild(), mode: "development" });
  await registerWebhooks(client, `http://127.0.0.1:${config.PORT}/webhooks`);
  await enableDemoWorkflow(devstore.url, shopDomain, `http://127.0.0.1:${config.PORT}/flow/lifecycle`);
  console.log(`Growthpilot admin: ${http.url}/app`);
  const stopProgressLog = logPipelineProgress(await getJobQueue());

  const liveOrders = startLiveOrders(devstore, shopDomain);
  onShutdown(async () => {
    clearInterval(liveOrders);
    stopProgressLog();
    await http.close();
    // Running jobs still need the database: the queue closes first.
    await closeJobQueue();
    await devstore.close();
    await closeDb();
  });
}

/**
 * The demo merchant has a Flow workflow on the "Growthpilot offer issued" trigger: the stand-in
 * sends Flow's signed lifecycle callback, so the app records the trigger as in use and sends one
 * trigger per treated customer (without it, issuing records "not sent: no workflow uses the trigger").
 */
async function enableDemoWorkflow(devstoreUrl: string, shopDomain: string, callbackUrl: string) {
  const res = await fetch(`${devstoreUrl}/_devstore/shops/${shopDomain}/flow-workflow`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ url: callbackUrl, enabled: true }),
  });
  const answer = (await res.json()) as { accepted?: boolean };
  if (!answer.accepted)
    console.error("The app refused the demo's Flow lifecycle callback: offers will not start Flow.");
}

/**
 * The demo's console narrates the install pipeline (sync → scoring → metafields) as its jobs
 * finish — the app's one pipeline (SYNC_PIPELINE), run by the same queue and handlers as always.
 */
function logPipelineProgress(queue: Awaited<ReturnType<typeof getJobQueue>>) {
  const PIPELINE = new Set<string>(SYNC_PIPELINE);
  const offCompleted = queue.on("completed", (job) => {
    if (PIPELINE.has(job.name)) console.log(`${job.name} finished for ${job.shop}`);
  });
  const offFailed = queue.on("failed", (job) => {
    if (PIPELINE.has(job.name)) console.error(`${job.name} failed for ${job.shop}: ${job.error}`);
  });
  return () => {
    offCompleted();
    offFailed();
  };
}

/** New orders keep arriving in the stand-in (and reach the app as webhooks) while the demo runs. */
function startLiveOrders(devstore: Awaited<ReturnType<typeof startDevStore>>, domain: string) {
  let tick = 0;
  return setInterval(() => {
    const shop = devstore.shops.get(domain);
    if (!shop) return;
    try {
      liveOrdersTick(shop, {
        nowMs: Date.now(),
        tickMs: 30_000,
        seed: ++tick,
        count: 2,
        onOrder: (order) => recordOrderCreated(shop, order),
      });
    } catch (error) {
      // A quiet window (no eligible customer) is normal; the next tick tries again.
      console.warn(`Live orders skipped: ${(error as Error).message}`);
    }
  }, 30_000).unref();
}
