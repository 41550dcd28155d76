/**
 * Runs the Shopify stand-in with a generated shop in its own process, so a benchmark measures only
 * the importer's memory. Prints one JSON line `{"url", "orders", "lines", …}` when ready; exits
 * when its stdin closes (the parent ended).
 *
 *   tsx bench/lib/devstore-process.ts --orders 100000 --domain x.myshopify.com --token t
 */
import { generateShop } from "../../devstore/generator";
import { startDevStore } from "../../devstore/server";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const orders = Number(arg("orders", "100000"));
const domain = arg("domain", "bench-sync.myshopify.com");
const t0 = performance.now();
const shop = generateShop({
  domain,
  seed: 42,
  products: 300,
  customers: Math.max(100, Math.round(orders / 6)),
  orders,
  start: "2024-01-01T00:00:00Z",
  end: "2026-01-01T00:00:00Z",
});
shop.accessTokens.add(arg("token", "shpat_bench"));
let lines = 0;
for (const o of shop.orders.values()) lines += o.lineItems.length;
const store = await startDevStore({ port: 0, apiKey: "bench", apiSecret: "bench", shops: [shop], autoDeliverWebhooks: false, faults: { duplicateWebhookRate: 0 } });
process.stdout.write(
  JSON.stringify({ url: store.url, orders: shop.orders.size, lines, customers: shop.customers.size, products: shop.products.size, generatedSecs: (performance.now() - t0) / 1000 }) + "\n",
);
process.stdin.resume();
process.stdin.on("end", () => void store.close().then(() => process.exit(0)));
