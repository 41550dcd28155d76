/**
 * Oversized-body burst against the production HTTP stack: N parallel unsigned POSTs of SIZE MiB to
 * /webhooks (the probe from the security review), first through the app's server (body limit in
 * front of Remix), then through the previous stack (`@remix-run/express`'s handler, which let the
 * route read the whole body before Shopify's HMAC check). Prints statuses, wall time and this
 * process's RSS before, at peak and after each burst — the comparison is made in the same run.
 *
 *   npm run bench:hostile -- --parallel 4 --size 64 [--chunked]
 */
import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { ensureBuild } from "../tests/admin/global-setup";
import { postBytes } from "../tests/helpers/oversized-post";
import { arg, mb } from "./lib/common";

const PARALLEL = Number(arg("parallel", "4"));
const SIZE_MB = Number(arg("size", "64"));
const CHUNKED = process.argv.includes("--chunked");
const DATA_DIR = mkdtempSync(path.join(tmpdir(), "gp-bench-hostile-"));
Object.assign(process.env, {
  NODE_ENV: "test",
  DEMO_MODE: "0",
  DATA_DIR,
  SHOPIFY_API_KEY: "bench-hostile-key",
  SHOPIFY_API_SECRET: "bench-hostile-secret-0123456789abcdef",
});
delete process.env.DATABASE_URL;
delete process.env.REDIS_URL;
delete process.env.DEVSTORE_URL;

const FORGED = {
  "x-shopify-topic": "orders/create",
  "x-shopify-hmac-sha256": "forged",
  "x-shopify-shop-domain": "victim.myshopify.com",
};
const post = (port: number, bytes: number) =>
  postBytes(port, "/webhooks", bytes, { chunked: CHUNKED, headers: FORGED });

async function burst(label: string, port: number) {
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const t0 = performance.now();
  const statuses = await Promise.all(Array.from({ length: PARALLEL }, () => post(port, SIZE_MB * 1024 * 1024)));
  const secs = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const after = process.memoryUsage().rss;
  const tally = statuses.reduce<Record<string, number>>((t, s) => ((t[String(s)] = (t[String(s)] ?? 0) + 1), t), {});
  console.log(
    `${label.padEnd(34)} statuses ${JSON.stringify(tally).padEnd(12)} ${secs.toFixed(2).padStart(6)} s   RSS before ${mb(before)}, peak ${mb(peak)} (+${mb(peak - before)}), after ${mb(after)}`,
  );
  return { peakGrowth: peak - before, secs };
}

function listen(app: import("express").Express): Promise<Server> {
  return new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
}

async function main() {
  ensureBuild();
  // Open (and migrate) the embedded database from the sources first, as the admin harness does.
  const { getDb, closeDb } = await import("../app/db.server");
  await getDb();
  const { loadServerBuild, startHttpServer } = await import("../app/server/http.server");
  const build = await loadServerBuild();
  console.log(
    `Burst: ${PARALLEL} × ${SIZE_MB} MiB unsigned POST /webhooks (${CHUNKED ? "chunked" : "Content-Length"}), Node ${process.version}`,
  );

  const bounded = await startHttpServer({ port: 0, build, mode: "production" });
  const after = await burst("bounded (limitedBody → Remix)", Number(new URL(bounded.url).port));
  await bounded.close();

  // The stack before the limit: the adapter streams the request into Remix, the route reads it all.
  const express = (await import("express")).default;
  const { createRequestHandler } = await import("@remix-run/express");
  const app = express();
  app.all("*", createRequestHandler({ build, mode: "production" }));
  const server = await listen(app);
  const before = await burst("unbounded (previous adapter)", (server.address() as { port: number }).port);
  server.close();

  console.log(
    `Peak RSS growth: ${mb(after.peakGrowth)} bounded vs ${mb(before.peakGrowth)} unbounded; time ${after.secs.toFixed(2)} s vs ${before.secs.toFixed(2)} s`,
  );
  await closeDb();
  rmSync(DATA_DIR, { recursive: true, force: true });
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
