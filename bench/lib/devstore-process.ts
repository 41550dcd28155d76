/**
 * Runs the Shopify stand-in with a generated shop in its own process, so a benchmark measures only
 * the importer's memory. Prints one JSON line `{"url", "orders", "lines", …}` when ready; exits
 * when its stdin closes (the parent ended).
 *
 *   tsx bench/lib/devstore-process.ts --orders 100000 --domain x.myshopify.com --token t
 *   tsx bench/lib/devstore-process.ts --shops 10 --orders 5000 --domain x.myshopify.com   # x-1 … x-10
 *
 * With `--shops N` (N > 1) it serves N generated shops named `<handle>-1.myshopify.com` …, each
 * with `--orders` orders (seeds differ), and the ready line also lists them under `shops`.
 */
import { generateShop } from "../../devstore/generator";
import { startDevStore } from "../../devstore/server";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const orders = Number(arg("orders", "100000"));
const domain = arg("domain", "bench-sync.myshopify.com");
const shopCount = Number(arg("shops", "1"));
const domains =
  shopCount > 1
    ? Array.from({ length: shopCount }, (_, i) => domain.replace(/\.myshopify\.com$/, `-${i + 1}.myshopify.com`))
    : [domain];
const t0 = performance.now();
// --seed/--products/--customers/--start/--end: a benchmark that builds webhook payloads from its
// own copy of the same generated shop (bench/freshness.bench.ts) asks for exactly that shop.
const shops = domains.map((d, i) =>
  generateShop({
    domain: d,
    seed: Number(arg("seed", "42")) + i,
    products: Number(arg("products", "300")),
    customers: Number(arg("customers", String(Math.max(100, Math.round(orders / 6))))),
    orders,
    start: arg("start", "2024-01-01T00:00:00Z"),
    end: arg("end", "2026-01-01T00:00:00Z"),
  }),
);
const counts = shops.map((shop) => {
  shop.accessTokens.add(arg("token", "shpat_bench"));
  let lines = 0;
  for (const o of shop.orders.values()) lines += o.lineItems.length;
  return {
    domain: shop.domain,
    orders: shop.orders.size,
    lines,
    customers: shop.customers.size,
    products: shop.products.size,
  };
});
const sum = (k: "orders" | "lines" | "customers" | "products") => counts.reduce((s, c) => s + c[k], 0);
const store = await startDevStore({
  port: 0,
  apiKey: "bench",
  apiSecret: arg("secret", "bench"),
  shops,
  autoDeliverWebhooks: false,
  faults: { duplicateWebhookRate: 0 },
});
process.stdout.write(
  JSON.stringify({
    url: store.url,
    orders: sum("orders"),
    lines: sum("lines"),
    customers: sum("customers"),
    products: sum("products"),
    generatedSecs: (performance.now() - t0) / 1000,
    ...(shopCount > 1 ? { shops: counts } : {}),
  }) + "\n",
);
process.stdin.resume();
process.stdin.on("end", () => void store.close().then(() => process.exit(0)));
