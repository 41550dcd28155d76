import { generateShop } from "../../../devstore/generator";
import type { DsShop } from "../../../devstore/model";
import { startDevStore, type DevStore } from "../../../devstore/server";
import { createAdminClient, type AdminClient } from "~/shopify/admin-client.server";

export const API_KEY = "sync-test-key";
export const API_SECRET = "sync-test-secret";
export const TOKEN = "shpat_sync_test_token";

/** Instant sleep: bulk polling and throttle waits cost no wall time in tests. */
export const noSleep = async () => {};

/** A generated shop inside a fresh stand-in, plus an admin client for it. */
export async function startGeneratedStore(opts: {
  domain: string;
  seed?: number;
  products?: number;
  customers?: number;
  orders?: number;
  faults?: Parameters<typeof startDevStore>[0]["faults"];
  flowTriggers?: Parameters<typeof startDevStore>[0]["flowTriggers"];
  /** Granted scopes / protected-customer-field approval (devstore/access.ts); default: everything. */
  scopes?: string;
  protectedCustomerFields?: boolean;
  /** Order dates and the stand-in's "now" (defaults: 2025 orders, now 2026-03-01). */
  start?: string;
  end?: string;
  now?: string;
}): Promise<{
  store: DevStore;
  shop: DsShop;
  client: AdminClient;
  sleep: (ms: number) => Promise<void>;
  clock: () => number;
}> {
  const shop = generateShop({
    domain: opts.domain,
    seed: opts.seed ?? 7,
    products: opts.products ?? 20,
    customers: opts.customers ?? 60,
    orders: opts.orders ?? 200,
    start: opts.start ?? "2025-01-01T00:00:00Z",
    end: opts.end ?? "2026-01-01T00:00:00Z",
  });
  shop.accessTokens.add(TOKEN);
  // Virtual time shared by the stand-in and the client: a throttle wait advances the stand-in's
  // clock (so its bucket refills) without any real sleeping.
  let now = Date.parse(opts.now ?? "2026-03-01T00:00:00Z");
  const clock = () => now;
  const sleep = async (ms: number) => {
    now += ms;
  };
  const store = await startDevStore({
    port: 0,
    clock,
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    shops: [shop],
    autoDeliverWebhooks: false,
    faults: { duplicateWebhookRate: 0, ...opts.faults },
    flowTriggers: opts.flowTriggers,
    scopes: opts.scopes,
    protectedCustomerFields: opts.protectedCustomerFields,
  });
  const client = createAdminClient({ shop: opts.domain, accessToken: TOKEN, baseUrl: store.url, sleep, now: clock });
  return { store, shop, client, sleep, clock };
}

/** What the stand-in holds, in the shape our counts use. */
export function expectedCounts(shop: DsShop) {
  let lines = 0;
  for (const o of shop.orders.values()) lines += o.lineItems.length;
  return {
    products: shop.products.size,
    variants: shop.variants.size,
    customers: shop.customers.size,
    orders: shop.orders.size,
    lines,
  };
}
