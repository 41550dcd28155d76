/**
 * Webhook ingestion load benchmark: HMAC-signed `orders/create` / `orders/updated` /
 * `customers/update` deliveries for many shops, POSTed at a fixed rate over loopback to the real
 * production web process (`app/server/main.ts` with NODE_ENV=production: express + the Remix
 * build + `authenticate.webhook`), in three set-ups:
 *
 *   pglite    no REDIS_URL, embedded PGlite: verified, deduped and written inline (the demo path)
 *   postgres  no REDIS_URL, Postgres: written inline
 *   redis     REDIS_URL + Postgres: the web process only verifies and enqueues; worker processes
 *             (`app/server/worker.ts`) drain the queue at the same time — reported separately
 *   redis-burst  the same, but the workers start only after the load phase: what the web process
 *             alone sustains (a BFCM burst absorbed by Redis), then how fast W workers drain the backlog
 *
 *   npm run bench:webhooks                                   # all three, 200/s for 20 s each
 *   npx tsx bench/webhooks.bench.ts --modes redis --rate 400 --duration 30 --workers 2
 *   options: --rate 200 --duration 20 --connections 50 --shops 20 --workers 1 --modes pglite,postgres,redis,redis-burst
 *            --pg postgresql://postgres@127.0.0.1:5432/postgres --redis redis://127.0.0.1:6379 --no-build
 *
 * autocannon's fixed-rate mode corrects for coordinated omission. The load generator runs in this
 * process, the server and the workers in their own (2 cores shared by all of them: the numbers are
 * a floor). Needs the Remix build: rebuilt here when older than app/ (skip with --no-build).
 * Every delivery is checked afterwards: one WebhookEvent row per accepted delivery.
 *
 * Longer than 300 lines on purpose: one self-contained benchmark script (set-ups, load phases, report).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHmac } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { createRequire } from "node:module";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { Redis } from "ioredis";
import pg from "pg";
import { openDatabase } from "../app/db/client.server";
import { arg, mb, DEFAULT_PG_ADMIN, DEFAULT_REDIS, ROOT } from "./lib/common";

interface AutocannonResult {
  requests: { total: number; average: number };
  latency: { p50: number; p90: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodeStats: Record<string, { count: number }>;
}
type Req = { method?: string; path?: string; body?: string; headers?: Record<string, string> };
const autocannon = createRequire(import.meta.url)("autocannon") as (o: {
  url: string;
  connections: number;
  overallRate: number;
  duration: number;
  timeout?: number;
  requests: { method: string; path: string; setupRequest: (req: Req) => Req }[];
}) => Promise<AutocannonResult>;

const RATE = Number(arg("rate", "200"));
const DURATION = Number(arg("duration", "20"));
const CONNECTIONS = Number(arg("connections", "50"));
const SHOPS = Number(arg("shops", "20"));
const WORKERS = Number(arg("workers", "1"));
const MODES = arg("modes", "pglite,postgres,redis,redis-burst").split(",");
const PG_ADMIN = arg("pg", DEFAULT_PG_ADMIN);
const REDIS = arg("redis", DEFAULT_REDIS);
const SECRET = "bench-webhooks-secret-0123456789abcdef";
const TARGET = 200;

const shopName = (i: number) => `bench-wh-${i}.myshopify.com`;

// ---------------------------------------------------------------------------------------------
// Payloads: distinct orders (1–3 lines) spread over the shops; ~15% updates and ~10% customer updates.

interface Delivery {
  topic: string;
  shop: string;
  body: string;
  hmac: string;
}

function deliveries(count: number): Delivery[] {
  const out: Delivery[] = [];
  for (let i = 0; i < count; i++) {
    const shop = shopName(i % SHOPS);
    const roll = i % 20;
    let topic: string;
    let payload: unknown;
    const at = new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString();
    if (roll < 2) {
      topic = "customers/update";
      payload = {
        id: 10_000 + (i % 500),
        email: `c${i % 500}@example.com`,
        first_name: "Bench",
        last_name: `${i}`,
        tags: "vip, bench",
        email_marketing_consent: { state: "subscribed" },
        created_at: "2026-01-01T00:00:00Z",
        updated_at: at,
      };
    } else {
      topic = roll < 5 && i > 100 ? "orders/updated" : "orders/create";
      const id = topic === "orders/updated" ? 1_000_000 + i - 100 : 1_000_000 + i;
      const lines = 1 + (i % 3);
      payload = {
        id,
        name: `#${id}`,
        email: `c${i % 500}@example.com`,
        created_at: at,
        updated_at: at,
        processed_at: at,
        cancelled_at: null,
        financial_status: "paid",
        currency: "USD",
        subtotal_price: `${lines * 10}.00`,
        total_price: `${lines * 10 + 5}.00`,
        total_discounts: "0.00",
        total_tax: "0.00",
        total_shipping_price_set: { shop_money: { amount: "5.00", currency_code: "USD" } },
        discount_codes: [],
        note_attributes: [],
        line_items: Array.from({ length: lines }, (_, l) => ({
          id: id * 10 + l,
          sku: `SKU-${(i * 7 + l) % 300}`,
          name: `Product ${(i * 7 + l) % 300}`,
          quantity: 1 + (l % 2),
          price: "10.00",
          variant_id: 5000 + ((i * 7 + l) % 300),
          product_id: 6000 + ((i * 7 + l) % 300),
          properties: [],
        })),
        refunds: [],
        customer: { id: 10_000 + (i % 500), email: `c${i % 500}@example.com` },
      };
    }
    const body = JSON.stringify(payload);
    out.push({ topic, shop, body, hmac: createHmac("sha256", SECRET).update(body).digest("base64") });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Processes

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Spawns `node --import tsx <script>` (the child's pid is the node process, for RSS sampling). */
function spawnNode(script: string, args: string[], env: Record<string, string>, name: string): ChildProcess {
  // --profile: V8 CPU profiles of the web/worker processes into bench/out/webhooks-prof/.
  const prof = process.argv.includes("--profile")
    ? ["--cpu-prof", `--cpu-prof-dir=${path.join(ROOT, "bench/out/webhooks-prof")}`]
    : [];
  const child = spawn(process.execPath, [...prof, "--import", "tsx", script, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const quiet = /completed \(attempt|^job webhook\.process/;
  createInterface({ input: child.stderr! }).on("line", (l) => !quiet.test(l) && console.error(`  [${name}] ${l}`));
  return child;
}

function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs = 120_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}`)), timeoutMs);
    createInterface({ input: child.stdout! }).on("line", (line) => {
      if (pattern.test(line)) {
        clearTimeout(timer);
        resolve(line);
      }
    });
    child.once("exit", (code) => reject(new Error(`process exited with ${code} before ${pattern}`)));
  });
}

function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** CPU seconds (user + system) a process has used so far (Linux /proc; clock ticks at 100 Hz). */
function cpuSecs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  await exited;
  clearTimeout(timer);
}

// ---------------------------------------------------------------------------------------------

function ensureBuild() {
  if (process.argv.includes("--no-build")) return;
  const newest = (dir: string): number =>
    Math.max(
      0,
      ...readdirSync(dir, { withFileTypes: true }).map((e) =>
        e.isDirectory() ? newest(path.join(dir, e.name)) : statSync(path.join(dir, e.name)).mtimeMs,
      ),
    );
  const file = path.join(ROOT, "build/server/index.js");
  if (existsSync(file) && statSync(file).mtimeMs >= newest(path.join(ROOT, "app"))) return;
  console.log("building the Remix app (build/ older than app/)…");
  const r = spawnSync("npx", ["--no-install", "remix", "vite:build"], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (r.status !== 0) throw new Error("remix vite:build failed");
}

async function pgAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_ADMIN });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

interface ModeResult {
  line: string;
}

async function runMode(mode: string, all: Delivery[]): Promise<ModeResult> {
  const stamp = `${Date.now()}`;
  const env: Record<string, string> = {
    NODE_ENV: "production",
    SHOPIFY_API_SECRET: SECRET,
    SHOPIFY_API_KEY: "bench-key",
    DEMO_MODE: "0",
    LOG_LEVEL: "warn",
  };
  delete process.env.DEVSTORE_URL;
  let dataDir: string | null = null;
  let pgName: string | null = null;
  let dbUrl: string | null = null;
  const prefix = `gp-bench-wh-${stamp}`;
  if (mode === "pglite") {
    dataDir = mkdtempSync(path.join(tmpdir(), "gp-bench-wh-"));
    env.DATA_DIR = dataDir;
    env.DATABASE_URL = "";
    // Production refuses to run without DATABASE_URL; PGlite mode is measured as a development process.
    env.NODE_ENV = "development";
  } else {
    pgName = `gp_bench_wh_${stamp}`;
    await pgAdmin((c) => c.query(`CREATE DATABASE "${pgName}"`));
    const url = new URL(PG_ADMIN);
    url.pathname = `/${pgName}`;
    dbUrl = url.toString();
    env.DATABASE_URL = dbUrl;
    // Migrate once up front so the web and worker start-ups don't wait on each other's advisory lock.
    await (await openDatabase({ url: dbUrl, poolSize: 1 })).close();
  }
  const redisMode = mode.startsWith("redis");
  const burst = mode === "redis-burst";
  if (redisMode) {
    env.REDIS_URL = REDIS;
    env.JOBS_PREFIX = prefix;
  } else {
    env.REDIS_URL = "";
  }
  // zod's .url() rejects "", so unset instead of blank.
  for (const k of ["DATABASE_URL", "REDIS_URL"]) {
    if (env[k] !== "") continue;
    delete env[k];
    delete process.env[k];
  }

  const port = await freePort();
  env.PORT = String(port);
  const web = spawnNode("app/server/main.ts", [], env, "web");
  const workers: ChildProcess[] = [];
  const samples = { web: 0, workers: 0 };
  let sampler: NodeJS.Timeout | undefined;
  try {
    await waitForLine(web, /listening on/);
    const startWorkers = async () => {
      for (let w = 0; w < WORKERS; w++) {
        const worker = spawnNode("app/server/worker.ts", ["--prefix", prefix], env, `worker${w + 1}`);
        workers.push(worker);
        await waitForLine(worker, /consuming jobs/);
      }
    };
    if (redisMode && !burst) await startWorkers();
    sampler = setInterval(() => {
      samples.web = Math.max(samples.web, rssOf(web.pid!));
      samples.workers = Math.max(
        samples.workers,
        workers.reduce((s, w) => s + rssOf(w.pid!), 0),
      );
    }, 200);

    const url = `http://127.0.0.1:${port}`;
    let n = 0;
    const runId = stamp;
    const request = (req: Req): Req => {
      const d = all[n % all.length];
      const i = n++;
      return {
        ...req,
        method: "POST",
        path: "/webhooks",
        body: d.body,
        headers: {
          "content-type": "application/json",
          "x-shopify-topic": d.topic,
          "x-shopify-hmac-sha256": d.hmac,
          "x-shopify-shop-domain": d.shop,
          "x-shopify-api-version": "2026-10",
          "x-shopify-webhook-id": `bench-${runId}-${i}`,
          "x-shopify-event-id": `evt-${runId}-${i}`,
          "x-shopify-triggered-at": new Date().toISOString(),
        },
      };
    };
    // Warm-up (opens the database, JIT): 2 s at a quarter of the rate, not measured, not counted out.
    const warmup = await autocannon({
      url,
      connections: 4,
      overallRate: Math.max(10, RATE / 4),
      duration: 2,
      requests: [{ method: "POST", path: "/webhooks", setupRequest: request }],
    });
    const warm = warmup.statusCodeStats["200"]?.count ?? 0;
    const cpu0 = {
      web: cpuSecs(web.pid!),
      workers: workers.reduce((t, w) => t + cpuSecs(w.pid!), 0),
      bench: process.cpuUsage(),
    };
    const t0 = performance.now();
    const result = await autocannon({
      url,
      connections: CONNECTIONS,
      overallRate: RATE,
      duration: DURATION,
      timeout: 10,
      requests: [{ method: "POST", path: "/webhooks", setupRequest: request }],
    });
    const ingestSecs = (performance.now() - t0) / 1000;
    const webCpu = cpuSecs(web.pid!) - cpu0.web;
    const benchCpu = (() => {
      const u = process.cpuUsage(cpu0.bench);
      return (u.user + u.system) / 1e6;
    })();
    const ok = result.statusCodeStats["200"]?.count ?? 0;
    const expected = ok + warm; // every 200 must leave exactly one WebhookEvent row

    // Count what was applied. Redis: wait for the workers to drain the backlog.
    let applied = 0;
    let drainSecs = 0;
    let workerCpu = 0;
    if (mode === "pglite") {
      if (sampler) clearInterval(sampler);
      await stop(web);
      const db = await openDatabase({ dataDir: path.join(dataDir!, "pglite") });
      applied = await db.prisma.webhookEvent.count();
      await db.close();
    } else {
      const client = new pg.Client({ connectionString: dbUrl! });
      await client.connect();
      const count = async () => Number((await client.query(`SELECT count(*)::int AS n FROM "WebhookEvent"`)).rows[0].n);
      const deadline = Date.now() + 300_000;
      let drainStart = t0;
      if (burst) {
        drainStart = performance.now();
        await startWorkers();
        cpu0.workers = 0;
      }
      applied = await count();
      while (redisMode && applied < expected && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 250));
        applied = await count();
      }
      drainSecs = (performance.now() - drainStart) / 1000;
      workerCpu = workers.reduce((t, w) => t + cpuSecs(w.pid!), 0) - cpu0.workers;
      await client.end();
    }
    const l = result.latency;
    // Requests in flight when autocannon stops (load and warm-up phases) are applied but not counted as 200s.
    const pass =
      result.requests.average >= Math.min(RATE, TARGET) * 0.98 &&
      result.non2xx === 0 &&
      result.errors === 0 &&
      applied >= expected &&
      applied <= expected + CONNECTIONS + 4;
    const drained = burst ? applied : applied - warm; // burst: the warm-up deliveries waited in Redis too
    const drain = redisMode
      ? ` | applied by ${WORKERS} worker(s): ${applied}/${expected} in ${drainSecs.toFixed(1)} s ${burst ? "after the load phase (incl. worker start-up)" : "from start"} (${Math.round(drained / drainSecs)}/s), ` +
        `worker CPU ${((workerCpu * 1000) / Math.max(1, drained)).toFixed(1)} ms/webhook, worker RSS peak ${mb(samples.workers)}`
      : ` | applied ${applied}/${expected}`;
    const line =
      `${mode.padEnd(8)} ${result.requests.total} req in ${ingestSecs.toFixed(0)} s = ${result.requests.average.toFixed(0)}/s (target ${RATE}) ` +
      `non-2xx ${result.non2xx} errors ${result.errors} timeouts ${result.timeouts} | latency ms p50 ${l.p50} p90 ${l.p90} p99 ${l.p99} max ${l.max} | ` +
      `web CPU ${((webCpu * 1000) / Math.max(1, result.requests.total)).toFixed(1)} ms/req, RSS peak ${mb(samples.web)} | load generator CPU ${((benchCpu * 1000) / Math.max(1, result.requests.total)).toFixed(1)} ms/req${drain} → ${pass ? "PASS" : "FAIL"}`;
    console.log(line);
    return { line };
  } finally {
    if (sampler) clearInterval(sampler);
    await Promise.all(workers.map(stop));
    await stop(web);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (pgName) await pgAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${pgName}" WITH (FORCE)`));
    if (redisMode) {
      const redis = new Redis(REDIS);
      let cursor = "0";
      let deleted = 0;
      do {
        const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
        cursor = next;
        if (keys.length) deleted += await redis.del(...keys);
      } while (cursor !== "0");
      await redis.quit();
      void deleted;
    }
  }
}

async function main() {
  ensureBuild();
  const all = deliveries(Math.ceil(RATE * (DURATION + 3) * 1.2));
  console.log(
    `bench:webhooks — ${RATE}/s for ${DURATION} s, ${CONNECTIONS} connections, ${SHOPS} shops, load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")}`,
  );
  const lines: string[] = [];
  for (const mode of MODES) lines.push((await runMode(mode, all)).line);
  console.log(
    `\n== bench:webhooks (${new Date().toISOString()}, load average after ${loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")}) ==`,
  );
  for (const l of lines) console.log(l);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
