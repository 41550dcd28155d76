/**
 * App proxy load benchmark: the storefront JSON endpoint (`/apps/growthpilot/recs` → `/proxy/recs`)
 * under a fixed 200 requests/s on loopback, with signed requests for realistic carts.
 *
 *   npx tsx bench/proxy.bench.ts                 # PGlite (the embedded default), 20 s per phase
 *   npx tsx bench/proxy.bench.ts --pg postgresql://postgres@127.0.0.1:5432/postgres
 *   options: --rate 200  --duration 20  --products 2000  --carts 3000  --connections 16
 *   --profile: no HTTP, just the per-request CPU cost of the handler (sequential)
 *
 * Two phases: "uncached" (the per-cart answer cache off: every request verifies the signature,
 * ranks and filters from the shop's in-memory index; logged-in customers' for-you lists come from
 * the database on first sight) and "cached" (the production configuration; carts repeat with a
 * popularity skew). The index is loaded by the first request, before measuring. autocannon's fixed-rate mode corrects for coordinated omission, so p99 is
 * the latency a buyer would see. Target: p99 ≤ 50 ms in both phases.
 *
 * The server calls the same service the Remix route calls (`handleAppProxyRequest`); the route
 * itself only adds `getDb()` and the env secret.
 *
 * Longer than 300 lines on purpose: one self-contained benchmark script (set-up, phases, report).
 */
import { fork } from "node:child_process";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import pg from "pg";
import { openDatabase, type Database } from "../app/db/client.server";
import { replaceRecommendations, type RecommendationList } from "../app/models/recommendations.server";
import { signAppProxyParams } from "../app/shopify/app-proxy.server";
import { handleAppProxyRequest, StorefrontCache } from "../app/services/storefront/recs.server";
import { arg, DEFAULT_PG_ADMIN } from "./lib/common";

/** The slice of autocannon's API used here (the package ships no type declarations). */
interface AutocannonResult {
  requests: { total: number; average: number };
  latency: { p50: number; p90: number; p97_5: number; p99: number; max: number };
  non2xx: number;
  errors: number;
}
type AutocannonRequest = { method: string; path?: string };
const autocannon = createRequire(import.meta.url)("autocannon") as (options: {
  url: string;
  connections: number;
  overallRate: number;
  duration: number;
  requests: { method: string; setupRequest: (req: AutocannonRequest) => AutocannonRequest }[];
}) => Promise<AutocannonResult>;

const RATE = Number(arg("rate", "200"));
const DURATION = Number(arg("duration", "20"));
const PRODUCTS = Number(arg("products", "2000"));
const CARTS = Number(arg("carts", "3000"));
const CONNECTIONS = Number(arg("connections", "16"));
const PG_URL = process.argv.includes("--pg") ? arg("pg", DEFAULT_PG_ADMIN) : null;
const TARGET_P99_MS = 50;

const SHOP = "bench-proxy.myshopify.com";
const SECRET = "bench-proxy-secret";
const pid = (n: number) => `gid://shopify/Product/${n}`;

/** Deterministic PRNG (mulberry32) so runs are comparable. */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The database the child serves from; a Postgres database is created here and dropped by the parent. */
async function openBenchDb(): Promise<{ db: Database; pgName: string | null; cleanup: () => Promise<void> }> {
  if (!PG_URL) {
    const db = await openDatabase({});
    return { db, pgName: null, cleanup: () => db.close() };
  }
  const name = `gp_bench_proxy_${Date.now()}`;
  await withPgAdmin((c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  const db = await openDatabase({ url: url.toString(), poolSize: 8 });
  return { db, pgName: name, cleanup: () => db.close() };
}

async function withPgAdmin(fn: (c: pg.Client) => Promise<unknown>) {
  const admin = new pg.Client({ connectionString: PG_URL! });
  await admin.connect();
  try {
    await fn(admin);
  } finally {
    await admin.end();
  }
}

async function seed(db: Database, random: () => number) {
  const at = new Date("2026-01-01T00:00:00Z");
  const products = Array.from({ length: PRODUCTS }, (_, i) => i + 1);
  const rows = products.map((n) => ({
    shop: SHOP,
    gid: pid(n),
    title: `Product ${n}`,
    handle: `product-${n}`,
    tags: [],
    collections: [],
    // ~5% drafts, ~2% gift cards: the filters have work to do.
    status: n % 20 === 0 ? "DRAFT" : "ACTIVE",
    publishedAt: n % 20 === 0 ? null : at,
    isGiftCard: n % 50 === 7,
    shopifyCreated: at,
    shopifyUpdated: at,
  }));
  for (let i = 0; i < rows.length; i += 1000) await db.prisma.product.createMany({ data: rows.slice(i, i + 1000) });
  const variants = products.flatMap((n) =>
    [0, 1].map((v) => ({
      shop: SHOP,
      gid: `gid://shopify/ProductVariant/${n * 10 + v}`,
      productGid: pid(n),
      title: v ? "Large" : "Small",
      priceMinor: n % 97 === 3 ? 0 : 1000 + (n % 40) * 100,
      inventoryQty: n % 9 === 0 ? 0 : 25,
      inventoryPolicy: n % 18 === 0 ? "CONTINUE" : "DENY",
      shopifyUpdated: at,
    })),
  );
  for (let i = 0; i < variants.length; i += 2000)
    await db.prisma.variant.createMany({ data: variants.slice(i, i + 2000) });

  const lists: RecommendationList[] = [];
  const pick = () => 1 + Math.floor(PRODUCTS * random() ** 2); // popularity skew
  for (const n of products) {
    for (const kind of ["BOUGHT_TOGETHER", "ALSO_BOUGHT"] as const) {
      const items = new Map<string, number>();
      while (items.size < 20) items.set(pid(pick()), 1 - items.size / 20);
      lists.push({
        kind,
        subject: pid(n),
        items: [...items].map(([gid, score]) => ({ gid, score, reason: "co-purchase" })),
      });
    }
  }
  for (let c = 1; c <= 500; c++) {
    lists.push({
      kind: "FOR_YOU",
      subject: `gid://shopify/Customer/${c}`,
      items: Array.from({ length: 20 }, (_, i) => ({ gid: pid(pick()), score: 1 - i / 20, reason: "for-you" })),
    });
  }
  await replaceRecommendations(db.prisma, SHOP, "bench-run", lists);
  return lists.length;
}

/** Signed proxy URLs for `CARTS` carts of 1–4 products (popular products more often). */
function signedPaths(random: () => number): string[] {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const pick = () => 1 + Math.floor(PRODUCTS * random() ** 2);
  return Array.from({ length: CARTS }, () => {
    const size = 1 + Math.floor(random() * 4);
    const ids = Array.from({ length: size }, pick);
    const q = new URLSearchParams({
      shop: SHOP,
      logged_in_customer_id: random() < 0.3 ? String(1 + Math.floor(random() * 500)) : "",
      path_prefix: "/apps/growthpilot",
      timestamp,
      products: ids.join(","),
      limit: "4",
    });
    q.set("signature", signAppProxyParams(q, SECRET));
    return `/proxy/recs?${q}`;
  });
}

function serve(handler: (request: Request) => Promise<Response>) {
  return createServer(async (req: IncomingMessage, res: ServerResponse) => {
    try {
      const response = await handler(
        new Request(`http://127.0.0.1${req.url}`, {
          method: req.method,
          headers: req.headers as Record<string, string>,
        }),
      );
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(await response.text());
    } catch (error) {
      res.writeHead(500);
      res.end(String((error as Error).message));
    }
  });
}

async function phase(name: string, port: number, paths: string[], random: () => number) {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    overallRate: RATE,
    duration: DURATION,
    requests: [
      { method: "GET", setupRequest: (req) => ({ ...req, path: paths[Math.floor(random() * paths.length)] }) },
    ],
  });
  const l = result.latency;
  const ok = result.non2xx === 0 && result.errors === 0 && l.p99 <= TARGET_P99_MS;
  console.log(
    `${name.padEnd(9)} ${result.requests.total} req in ${DURATION}s (${result.requests.average.toFixed(0)} req/s, target ${RATE}) ` +
      `non-2xx ${result.non2xx} errors ${result.errors} | latency ms p50 ${l.p50} p90 ${l.p90} p97.5 ${l.p97_5} p99 ${l.p99} max ${l.max} ` +
      `→ ${ok ? "PASS" : "FAIL"} (p99 ≤ ${TARGET_P99_MS} ms)`,
  );
  return ok;
}

/**
 * Child process: seeds the database, serves the proxy and reports its port. The load generator
 * runs in the parent so the two do not share one event loop (2 cores: one each).
 */
async function serveChild() {
  const random = rng(42);
  const { db, pgName, cleanup } = await openBenchDb();
  const t0 = performance.now();
  const lists = await seed(db, random);
  // Phase 1 turns off only the per-cart answer cache: every request ranks and filters from the
  // shop's in-memory index. Phase 2 is the production configuration.
  const uncached = new StorefrontCache({ responseTtlMs: 0 });
  const cached = new StorefrontCache();
  let cache = uncached;
  const server = serve((request) =>
    handleAppProxyRequest({ prisma: db.prisma, secret: SECRET, cache }, request, "recs"),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  process.on("message", async (msg: string) => {
    if (msg === "cached") {
      cache = cached;
      // Warm the shop index like the first storefront request of the day would.
      await cache.index(db.prisma, SHOP, Date.now());
      process.send!("ready");
    }
    if (msg === "stop") {
      server.close();
      await cleanup();
      process.exit(0);
    }
  });
  process.send!({
    pgName,
    port: (server.address() as AddressInfo).port,
    info: `${db.kind}: seeded ${PRODUCTS} products, ${lists} recommendation lists in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  });
}

async function main() {
  const child = fork(process.argv[1], [...process.argv.slice(2), "--serve"], {
    execArgv: process.execArgv,
    stdio: "inherit",
  });
  const { port, info, pgName } = await new Promise<{ port: number; info: string; pgName: string | null }>(
    (resolve, reject) => {
      child.once("message", (m) => resolve(m as { port: number; info: string; pgName: string | null }));
      child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
    },
  );
  console.log(info);
  try {
    const random = rng(7);
    const paths = signedPaths(random);
    // Sanity check before measuring: a signed request succeeds, a tampered one is refused.
    const sample = await fetch(`http://127.0.0.1:${port}${paths[0]}`);
    const body = (await sample.json()) as { products: unknown[] };
    const tampered = await fetch(`http://127.0.0.1:${port}${paths[0].replace("limit=4", "limit=5")}`);
    console.log(`sanity: signed → ${sample.status} (${body.products.length} products), tampered → ${tampered.status}`);

    const a = await phase("uncached", port, paths, random);
    const ready = new Promise((resolve) => child.once("message", resolve));
    child.send("cached");
    await ready;
    const b = await phase("cached", port, paths, random);
    console.log(a && b ? "RESULT PASS" : "RESULT FAIL");
    process.exitCode = a && b ? 0 : 1;
  } finally {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.send("stop");
    await exited;
    // Dropped only once the server process (and every pooled connection) is gone.
    if (pgName) await withPgAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${pgName}" WITH (FORCE)`));
  }
}

if (process.argv.includes("--profile")) {
  const random = rng(42);
  const { db, pgName, cleanup } = await openBenchDb();
  await seed(db, random);
  const paths = signedPaths(rng(7));
  const cache = new StorefrontCache({ responseTtlMs: 0 });
  await cache.index(db.prisma, SHOP, Date.now());
  for (let round = 0; round < 3; round++) {
    const t = performance.now();
    for (let i = 0; i < 1000; i++)
      await handleAppProxyRequest(
        { prisma: db.prisma, secret: SECRET, cache },
        new Request(`http://x${paths[i]}`),
        "recs",
      );
    console.log(
      `sequential uncached: ${((performance.now() - t) / 1000).toFixed(3)} ms/request (answer cache off, index warm)`,
    );
  }
  await cleanup();
  if (pgName) await withPgAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${pgName}" WITH (FORCE)`));
} else if (process.argv.includes("--serve")) await serveChild();
else await main();
