/**
 * Sync benchmark: generates a shop in the stand-in (default 100k orders), then runs the bulk
 * initial sync into (a) a fresh Postgres database on 127.0.0.1 (created and dropped) and (b)
 * PGlite in a temp dir. Prints orders/s, wall time and memory.
 *
 *   npm run bench:sync                     # 100k orders
 *   npm run bench:sync -- --orders 20000   # smaller
 *   options: --orders N  --pg postgresql://postgres@127.0.0.1:5432/postgres  --skip-pg  --skip-pglite
 *
 * The stand-in (and its generated shop) runs in a child process, so the RSS printed here is the
 * importer's own: it stays flat as the shop grows because the JSONL result is streamed.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { openDatabase, type Database } from "../app/db/client.server";
import { createAdminClient } from "../app/shopify/admin-client.server";
import { runInitialSync } from "../app/services/sync/shop-sync.server";
import { countOrders } from "../app/models/orders.server";
import { arg, mb, startStandInProcess, DEFAULT_PG_ADMIN } from "./lib/common";

const ORDERS = Number(arg("orders", "100000"));
const PG_ADMIN_URL = arg("pg", DEFAULT_PG_ADMIN);
const DOMAIN = "bench-sync.myshopify.com";
const TOKEN = "shpat_bench";

async function main() {
  const store = await startStandInProcess(["--orders", String(ORDERS), "--domain", DOMAIN, "--token", TOKEN]);
  const lines = store.lines;
  const shop = { orders: { size: store.orders } };
  console.log(
    `stand-in process: ${store.orders} orders / ${lines} lines / ${store.customers} customers / ${store.products} products generated in ${store.generatedSecs.toFixed(1)} s`,
  );

  const targets: { name: string; open: () => Promise<{ db: Database; cleanup: () => Promise<void> }> }[] = [];
  if (!process.argv.includes("--skip-pg")) {
    targets.push({
      name: "postgres",
      async open() {
        const name = `gp_bench_${Date.now()}`;
        const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
        await admin.connect();
        await admin.query(`CREATE DATABASE "${name}"`);
        await admin.end();
        const url = new URL(PG_ADMIN_URL);
        url.pathname = `/${name}`;
        const db = await openDatabase({ url: url.toString(), poolSize: 4 });
        return {
          db,
          async cleanup() {
            await db.close();
            const c = new pg.Client({ connectionString: PG_ADMIN_URL });
            await c.connect();
            await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
            await c.end();
          },
        };
      },
    });
  }
  if (!process.argv.includes("--skip-pglite")) {
    targets.push({
      name: "pglite",
      async open() {
        const dir = mkdtempSync(path.join(tmpdir(), "gp-bench-pglite-"));
        const db = await openDatabase({ dataDir: dir });
        return {
          db,
          async cleanup() {
            await db.close();
            rmSync(dir, { recursive: true, force: true });
          },
        };
      },
    });
  }

  const rows: string[] = [];
  try {
    for (const target of targets) {
      const { db, cleanup } = await target.open();
      try {
        global.gc?.();
        const baseline = process.memoryUsage().rss;
        let peak = baseline;
        const sampler = setInterval(() => {
          peak = Math.max(peak, process.memoryUsage().rss);
        }, 50);
        const client = createAdminClient({ shop: DOMAIN, accessToken: TOKEN, baseUrl: store.url });
        const start = performance.now();
        const orderStart: { t?: number; lines?: number; last?: number; lastLines?: number } = {};
        const results = await runInitialSync(
          {
            prisma: db.prisma,
            client,
            pollIntervalMs: 100,
            onBatch: ({ resource, linesProcessed }) => {
              if (resource !== "orders") return;
              if (orderStart.t === undefined) {
                orderStart.t = performance.now();
                orderStart.lines = linesProcessed;
              }
              orderStart.last = performance.now();
              orderStart.lastLines = linesProcessed;
            },
          },
          DOMAIN,
        );
        const wall = (performance.now() - start) / 1000;
        clearInterval(sampler);
        peak = Math.max(peak, process.memoryUsage().rss);
        const failed = results.filter((r) => r.status !== "COMPLETED");
        if (failed.length) throw new Error(`sync failed: ${JSON.stringify(failed)}`);
        const counts = await countOrders(db.prisma, DOMAIN);
        if (counts.orders !== shop.orders.size || counts.lines !== lines)
          throw new Error(`count mismatch ${JSON.stringify(counts)}`);
        const ordersRun = results.find((r) => r.resource === "orders")!;
        const run = await db.prisma.syncRun.findUniqueOrThrow({ where: { id: ordersRun.runId } });
        const ordersWall = (run.finishedAt!.getTime() - run.startedAt.getTime()) / 1000;
        // Import-only rate: from the first committed orders batch to the last (excludes Shopify's bulk run).
        const importSecs = ((orderStart.last ?? 0) - (orderStart.t ?? 0)) / 1000;
        const importLines = (orderStart.lastLines ?? 0) - (orderStart.lines ?? 0);
        const importRate =
          importSecs > 0 ? Math.round((importLines / importSecs) * (counts.orders / run.linesProcessed)) : NaN;
        rows.push(
          `${target.name.padEnd(8)} | import-only ~${importRate} orders/s | total ${wall.toFixed(1)} s | orders phase ${ordersWall.toFixed(1)} s (${Math.round(counts.orders / ordersWall)} orders/s, ${Math.round(run.linesProcessed / ordersWall)} JSONL lines/s) | overall ${Math.round(counts.orders / wall)} orders/s | RSS before ${mb(baseline)}, peak ${mb(peak)}, sync ΔRSS ${mb(peak - baseline)}`,
        );
        console.log(rows[rows.length - 1]);
      } finally {
        await cleanup();
      }
    }
  } finally {
    store.close();
  }
  console.log(`\n== bench:sync, ${shop.orders.size} orders, ${lines} lines ==`);
  for (const r of rows) console.log(r);
  console.log(`process maxRSS (resourceUsage): ${mb(process.resourceUsage().maxRSS * 1024)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
