/**
 * EASE's dense SPD inverse (`npm run bench:linalg [-- --sizes 1000,2000,3000]`): the row-at-a-time
 * oracle vs the 4-row-blocked version, Float64 vs Float32 storage. Each variant runs in its own
 * child process (V8 optimises a loop for the one array type it sees), in alternating order, twice,
 * so the shared 2-core machine's load hits all variants alike; thread CPU time is reported next to
 * wall time. The Float32 child also measures the accuracy cost: max |ΔB| of the EASE weights
 * against Float64 and EASE-only discovery Recall@20 on the synthetic shop with both.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { invertSpdUnblocked } from "../app/analytics/recs/linalg";
import { invertSpd, type FloatArray } from "../app/analytics/recs/linalg-blocked";
import { mulberry32 } from "../app/analytics/rng";

type Variant = "f64-unblocked" | "f64-blocked" | "f32-blocked";
const VARIANTS: Variant[] = ["f64-unblocked", "f64-blocked", "f32-blocked"];
const args = process.argv.slice(2);
const arg = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);

/** XᵀX + λI of a skewed random binary customer × item matrix (4,000 customers, ~30 items each). */
function gram(n: number, lambda = 500): Float64Array {
  const rng = mulberry32(n);
  const g = new Float64Array(n * n);
  const row: number[] = [];
  for (let c = 0; c < 4000; c++) {
    row.length = 0;
    const seen = new Set<number>();
    for (let t = 0; t < 30; t++) seen.add(Math.floor(n * rng() ** 2));
    row.push(...seen);
    for (const a of row) for (const b of row) g[a * n + b] += 1;
  }
  for (let i = 0; i < n; i++) g[i * n + i] += lambda;
  return g;
}

function threadCpuMs(): number {
  const usage = process.threadCpuUsage?.() ?? process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

function child(variant: Variant, n: number): void {
  const g = gram(n);
  const input: FloatArray = variant === "f32-blocked" ? Float32Array.from(g) : g.slice();
  const wall = performance.now();
  const cpu = threadCpuMs();
  const inv = variant === "f64-unblocked" ? invertSpdUnblocked(input as Float64Array, n) : invertSpd(input, n);
  const result = { variant, n, wallMs: performance.now() - wall, cpuMs: threadCpuMs() - cpu, maxAbsDeltaB: NaN };
  if (variant === "f32-blocked") result.maxAbsDeltaB = maxAbsDeltaB(invertSpd(g.slice(), n), inv, n);
  console.log(JSON.stringify(result));
}

/** max |B64 − B32| over B = I − P·diag(1/diag P) (the EASE weights), and max |B64| for scale. */
function maxAbsDeltaB(p64: Float64Array, p32: FloatArray, n: number): number {
  let worst = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const d = Math.abs(p64[i * n + j] / p64[j * n + j] - p32[i * n + j] / p32[j * n + j]);
      if (d > worst) worst = d;
    }
  return worst;
}

function main(): void {
  const sizes = (arg("--sizes") ?? "500,1000,2000,3000").split(",").map(Number);
  const rounds = Number(arg("--rounds") ?? 2);
  const self = fileURLToPath(import.meta.url);
  const results: Record<string, { wall: number[]; cpu: number[]; delta: number }> = {};
  for (const n of sizes) {
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
      for (const v of order) {
        const out = spawnSync(process.execPath, [...process.execArgv, self, "--child", v, "--n", String(n)], {
          encoding: "utf8",
          maxBuffer: 1 << 20,
        });
        const line = out.stdout.trim().split("\n").pop() ?? "";
        if (out.status !== 0 || !line.startsWith("{")) throw new Error(`child ${v} ${n} failed: ${out.stderr}`);
        const r = JSON.parse(line) as { wallMs: number; cpuMs: number; maxAbsDeltaB: number };
        const key = `${v}|${n}`;
        results[key] ??= { wall: [], cpu: [], delta: NaN };
        results[key].wall.push(r.wallMs / 1000);
        results[key].cpu.push(r.cpuMs / 1000);
        if (Number.isFinite(r.maxAbsDeltaB)) results[key].delta = r.maxAbsDeltaB;
      }
    }
  }
  console.log(
    `\n| items | variant | wall s (each round) | thread CPU s (min) | vs f64-unblocked (CPU) | max abs ΔB vs f64 |`,
  );
  console.log("|---|---|---|---|---|---|");
  for (const n of sizes) {
    const base = Math.min(...results[`f64-unblocked|${n}`].cpu);
    for (const v of VARIANTS) {
      const r = results[`${v}|${n}`];
      const cpu = Math.min(...r.cpu);
      console.log(
        `| ${n} | ${v} | ${r.wall.map((w) => w.toFixed(2)).join(" / ")} | ${cpu.toFixed(2)} | ${(base / cpu).toFixed(2)}× | ${Number.isFinite(r.delta) ? r.delta.toExponential(1) : "—"} |`,
      );
    }
  }
  console.log(`\n(load average: ${require_loadavg()})`);
}

function require_loadavg(): string {
  return spawnSync("cat", ["/proc/loadavg"], { encoding: "utf8" }).stdout.trim();
}

/**
 * Float32 vs Float64 on real EASE weights: the synthetic shop of bench:engine (683 items), EASE
 * fitted both ways, max |ΔB| and EASE-only discovery Recall@20 on its 2024-10-01 time split.
 */
async function accuracy(): Promise<void> {
  const { generateShop } = await import("../devstore/generator");
  const { exportOrdersCsv } = await import("../devstore/csv-export");
  const { ordersToEngineOrders, parseOrdersCsv } = await import("../app/csv");
  const { fitEase, easeScoresInto } = await import("../app/analytics/recs/ease");
  const { buildInteractions } = await import("../app/analytics/recs/interactions");
  const { topK } = await import("../app/analytics/recs/topk");
  const { timeSplit, itemsByCustomer } = await import("../app/analytics/eval/splits");
  const shop = generateShop({
    domain: "bench-quality.myshopify.com",
    seed: 7,
    products: 400,
    customers: 3000,
    orders: 30000,
    start: "2023-01-01T00:00:00Z",
    end: "2025-01-01T00:00:00Z",
  });
  const asOf = Date.UTC(2024, 9, 1);
  const orders = ordersToEngineOrders(parseOrdersCsv(exportOrdersCsv(shop)), { before: Date.UTC(2025, 0, 1) });
  const { train, test, testCustomers } = timeSplit(orders, asOf, 90);
  const data = buildInteractions(train, asOf);
  const truth = itemsByCustomer(test);
  const recallWith = (float32: boolean) => {
    const model = fitEase(data.customerItems, data.itemCustomers, { lambda: 500, maxItems: 5000, float32 });
    let total = 0;
    let cases = 0;
    for (const customer of testCustomers) {
      const c = data.customerIndex.get(customer)!;
      const owned = new Set(data.customerItems[c]);
      const target = [...truth.get(customer)!]
        .map((s) => data.itemIndex.get(s))
        .filter((i) => i !== undefined && !owned.has(i));
      if (target.length === 0) continue;
      const scores = new Float64Array(data.items.length);
      const profile = Array.from(data.customerItems[c]);
      easeScoresInto(
        model,
        profile,
        profile.map(() => 1),
        scores,
      );
      const top = new Set(topK(scores, 20, (j) => owned.has(j)));
      total += target.filter((i) => top.has(i!)).length / Math.min(target.length, 20);
      cases++;
    }
    return { model, recall: total / cases, cases };
  };
  const f64 = recallWith(false);
  const f32 = recallWith(true);
  let worst = 0;
  let scale = 0;
  f64.model.weights.forEach((w, k) => {
    worst = Math.max(worst, Math.abs(w - f32.model.weights[k]));
    scale = Math.max(scale, Math.abs(w));
  });
  console.log(`\n| EASE on the synthetic shop (${f64.model.itemIds.length} items, λ = 500) | Float64 | Float32 |`);
  console.log("|---|---|---|");
  console.log(
    `| discovery Recall@20, EASE only (${f64.cases} customers) | ${f64.recall.toFixed(4)} | ${f32.recall.toFixed(4)} |`,
  );
  console.log(`| max abs ΔB (max abs B = ${scale.toExponential(2)}) | — | ${worst.toExponential(1)} |`);
}

if (args.includes("--child")) child(arg("--child") as Variant, Number(arg("--n")));
else if (args.includes("--accuracy")) await accuracy();
else main();
