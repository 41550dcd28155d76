/**
 * Many shops syncing at once: N shops (default 10) generated in the Shopify stand-in (its own
 * process), all installed at the same moment, each initial sync (bulk products → customers →
 * orders) run as a `sync.initial` job through the app's job queue into one fresh Postgres database.
 *
 *   queue=memory  the in-process queue (what `npm start` runs without REDIS_URL), concurrency 4,
 *                 in this process: RSS is the sync's own
 *   queue=bullmq  BullMQ on Redis with W real worker processes (`app/server/worker.ts`, concurrency 4
 *                 each; default W=2) reading the shops' offline tokens from the session table and
 *                 reaching the stand-in through DEVSTORE_URL — the production topology on loopback
 *
 *   npm run bench:multishop                                  # 10 shops × 5,000 orders, both queues
 *   npx tsx bench/multi-shop-sync.bench.ts --shops 10 --orders 10000 --queues bullmq --workers 2
 *   options: --shops 10 --orders 5000 (per shop) --workers 2 --queues memory,bullmq
 *            --pg postgresql://postgres@127.0.0.1:5432/postgres --redis redis://127.0.0.1:6379
 *
 * Prints total wall time, orders/s over all shops, per-shop sync times, peak RSS and load average.
 * Every shop's order and line counts are checked against the stand-in afterwards.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { createInterface } from "node:readline";
import { Redis } from "ioredis";
import pg from "pg";
import { openDatabase, type Database } from "../app/db/client.server";
import { createJobQueue, type AppJobs, type JobQueue } from "../app/jobs/index.server";
import { registerAppHandlers } from "../app/jobs/registry.server";
import { countOrders } from "../app/models/orders.server";
import { createAdminClient } from "../app/shopify/admin-client.server";
import { arg, mb, startStandInProcess, type StandInInfo, DEFAULT_PG_ADMIN, DEFAULT_REDIS, ROOT } from "./lib/common";

const SHOPS = Number(arg("shops", "10"));
const ORDERS = Number(arg("orders", "5000"));
const WORKERS = Number(arg("workers", "2"));
const QUEUES = arg("queues", "memory,bullmq").split(",");
const PG_ADMIN = arg("pg", DEFAULT_PG_ADMIN);
const REDIS = arg("redis", DEFAULT_REDIS);
const TOKEN = "shpat_bench_multishop";

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");

async function pgAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_ADMIN });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function spawnWorker(env: Record<string, string>, prefix: string, name: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "app/server/worker.ts", "--prefix", prefix], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  createInterface({ input: child.stderr! }).on("line", (l) => console.error(`  [${name}] ${l}`));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on("line", (l) => {
      if (/consuming jobs/.test(l)) resolve(child);
      if (/sync\.initial/.test(l)) console.log(`  [${name}] ${l}`);
    });
    child.once("exit", (code) => reject(new Error(`${name} exited with ${code}`)));
  });
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  await exited;
  clearTimeout(timer);
}

/** Waits until every shop's three bulk runs are finished; returns per-shop wall times. */
async function waitForSyncs(
  db: Database,
  shops: string[],
  t0: number,
  timeoutMs = 30 * 60_000,
): Promise<Map<string, number>> {
  const done = new Map<string, number>();
  const deadline = Date.now() + timeoutMs;
  while (done.size < shops.length) {
    if (Date.now() > deadline) throw new Error(`timed out: ${done.size}/${shops.length} shops synced`);
    const runs = await db.prisma.syncRun.findMany({
      where: { shop: { in: shops }, kind: "BULK" },
      select: { shop: true, resource: true, status: true, error: true, finishedAt: true },
    });
    for (const r of runs) if (r.status === "FAILED") throw new Error(`${r.shop} ${r.resource} failed: ${r.error}`);
    for (const shop of shops) {
      if (done.has(shop)) continue;
      const mine = runs.filter((r) => r.shop === shop && r.status === "COMPLETED");
      if (new Set(mine.map((r) => r.resource)).size === 3)
        done.set(shop, (Math.max(...mine.map((r) => r.finishedAt!.getTime())) - t0) / 1000);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return done;
}

async function runQueue(kind: string, store: StandInInfo): Promise<string> {
  const stamp = `${Date.now()}`;
  const dbName = `gp_bench_ms_${stamp}`;
  await pgAdmin((c) => c.query(`CREATE DATABASE "${dbName}"`));
  const url = new URL(PG_ADMIN);
  url.pathname = `/${dbName}`;
  const db = await openDatabase({ url: url.toString(), poolSize: 4 });
  const prefix = `gp-bench-ms-${stamp}`;
  const shops = (store.shops ?? []).map((s) => s.domain);
  const workers: ChildProcess[] = [];
  let queue: JobQueue<AppJobs> | null = null;
  let peak = { self: process.memoryUsage().rss, workers: 0 };
  const sampler = setInterval(() => {
    peak = {
      self: Math.max(peak.self, process.memoryUsage().rss),
      workers: Math.max(
        peak.workers,
        workers.reduce((s, w) => s + rssOf(w.pid!), 0),
      ),
    };
  }, 100);
  try {
    // Installed: one offline session per shop (what token exchange leaves behind).
    for (const shop of shops) {
      await db.prisma.session.create({
        data: {
          id: `offline_${shop}`,
          shop,
          state: "",
          isOnline: false,
          scope: "read_products,read_customers,read_orders",
          accessToken: TOKEN,
        },
      });
    }
    if (kind === "memory") {
      queue = createJobQueue<AppJobs>({ concurrency: 4 });
      registerAppHandlers(queue, {
        prisma: db.prisma,
        adminFor: async (shop) => createAdminClient({ shop, accessToken: TOKEN, baseUrl: store.url }),
      });
      await queue.start();
    } else {
      const env = {
        DATABASE_URL: url.toString(),
        REDIS_URL: REDIS,
        DEVSTORE_URL: store.url,
        NODE_ENV: "development",
        DEMO_MODE: "0",
      };
      for (let w = 0; w < WORKERS; w++) workers.push(await spawnWorker(env, prefix, `worker${w + 1}`));
      queue = createJobQueue<AppJobs>({ redisUrl: REDIS, prefix }); // producer only, like a web process
    }
    const baseline = process.memoryUsage().rss;
    peak.self = baseline;
    const t0 = Date.now();
    for (const shop of shops) await queue.enqueue("sync.initial", {}, { shop, jobId: `initial-${shop}` });
    const perShop = await waitForSyncs(db, shops, t0);
    const wall = (Date.now() - t0) / 1000;
    for (const s of store.shops ?? []) {
      const c = await countOrders(db.prisma, s.domain);
      if (c.orders !== s.orders || c.lines !== s.lines)
        throw new Error(`${s.domain}: expected ${s.orders}/${s.lines}, got ${JSON.stringify(c)}`);
    }
    const times = [...perShop.values()].sort((a, b) => a - b);
    const rss =
      kind === "memory"
        ? `bench process RSS peak ${mb(peak.self)} (Δ ${mb(peak.self - baseline)})`
        : `${WORKERS} workers RSS peak ${mb(peak.workers)} total`;
    const line =
      `${kind.padEnd(7)} ${SHOPS} shops × ${ORDERS} orders (${store.orders} orders, ${store.lines} lines): total ${wall.toFixed(1)} s, ` +
      `${Math.round(store.orders / wall)} orders/s overall | per-shop done after min ${times[0].toFixed(1)} s / median ${times[Math.floor(times.length / 2)].toFixed(1)} s / max ${times[times.length - 1].toFixed(1)} s | ` +
      `${rss} | counts OK | load average ${load()}`;
    console.log(line);
    return line;
  } finally {
    clearInterval(sampler);
    await queue?.close({ timeoutMs: 5_000 });
    await Promise.all(workers.map(stop));
    await db.close();
    await pgAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`));
    if (kind === "bullmq") {
      const redis = new Redis(REDIS);
      let cursor = "0";
      do {
        const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
        cursor = next;
        if (keys.length) await redis.del(...keys);
      } while (cursor !== "0");
      await redis.quit();
    }
  }
}

async function main() {
  console.log(
    `bench:multishop — ${SHOPS} shops × ${ORDERS} orders, queues ${QUEUES.join(", ")}, load average ${load()}`,
  );
  const store = await startStandInProcess([
    "--shops",
    String(SHOPS),
    "--orders",
    String(ORDERS),
    "--domain",
    "bench-ms.myshopify.com",
    "--token",
    TOKEN,
  ]);
  console.log(
    `stand-in process: ${store.orders} orders / ${store.lines} lines in ${SHOPS} shops generated in ${store.generatedSecs.toFixed(1)} s`,
  );
  const lines: string[] = [];
  try {
    for (const kind of QUEUES) lines.push(await runQueue(kind, store));
  } finally {
    store.close();
  }
  console.log(`\n== bench:multishop (${new Date().toISOString()}) ==`);
  for (const l of lines) console.log(l);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
