/**
 * Engine benchmark (`npm run bench:engine`): recommendation quality against the docs/contracts.md §5
 * baselines on public logs and a generated shop, churn/propensity quality of the customer half,
 * the per-shop propensity selection (every candidate, the chosen one vs logistic-RFM and BG/NBD,
 * next-order MAE and interval coverage), and the CLI speed scenario (400k-line export, 4k customers, 3.7k SKUs: ≤ 10 s, ≤ 1 GB RSS).
 *
 * Flags: `--skip-speed`, `--only <ta-feng|groceries|synthetic|shopify-exports|churn|forecast|speed|peer>`.
 * Results are printed as markdown tables (copied into docs/engine.md).
 */
import { existsSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { mulberry32 } from "../app/analytics/rng";
import type { Order } from "../app/analytics/types";
import { ordersToEngineOrders, parseOrdersCsv } from "../app/csv";
import {
  DATA_DIR,
  fromTimeSplit,
  hasData,
  loadCdnow,
  loadGroceries,
  loadGroceriesOrders,
  loadGroceryElog,
  loadShopifyExports,
  loadTaFeng,
  type RecDataset,
} from "./lib/datasets";
import { DAY_MS } from "../app/analytics/time";
import { peerComparison } from "./lib/peer";
import { fmt, recommendationTable } from "./lib/rec-tables";
import { forecastTable } from "./lib/forecast-table";
import { csvLineCount, loadAverage, runScore, speedOrdersCsv } from "./lib/score-run";

const ROOT = resolve(import.meta.dirname, "..");
const OUT = join(ROOT, "bench/out");
const args = process.argv.slice(2);
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : null;
const want = (name: string) => only === null || only === name;

function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

// ─── recommendations ──────────────────────────────────────────────────────────────────────────

/** A mid-size generated shop from the Shopify stand-in, round-tripped through the orders CSV. */
async function syntheticOrders(): Promise<Order[] | null> {
  const generator = join(ROOT, "devstore/generator.ts");
  const exporter = join(ROOT, "devstore/csv-export.ts");
  if (!existsSync(generator) || !existsSync(exporter)) return null;
  const { generateShop } = await import("../devstore/generator");
  const { exportOrdersCsv } = await import("../devstore/csv-export");
  const shop = generateShop({
    domain: "bench-quality.myshopify.com",
    seed: 7,
    products: 400,
    customers: 3000,
    orders: 30000,
    start: "2023-01-01T00:00:00Z",
    end: "2025-01-01T00:00:00Z",
  });
  return ordersToEngineOrders(parseOrdersCsv(exportOrdersCsv(shop)), { before: Date.UTC(2025, 0, 1) });
}

async function syntheticDataset(): Promise<RecDataset | null> {
  const orders = await syntheticOrders();
  if (!orders) return null;
  return fromTimeSplit(
    "synthetic",
    "stand-in generator (seed 7, 400 products, 3k customers, 30k orders) via CSV; split 2024-10-01, 90 days",
    orders,
    Date.UTC(2024, 9, 1),
    90,
  );
}

// ─── churn / propensity ───────────────────────────────────────────────────────────────────────

async function churnTable(): Promise<void> {
  const customers = join(ROOT, "app/analytics/customers/index.ts");
  if (!existsSync(customers)) {
    console.log("\n(customer half not present: churn table skipped)");
    return;
  }
  const { scoreCustomers } = await import("../app/analytics/customers");
  const cases: { name: string; orders: () => Order[]; asOf: number; horizonDays: number }[] = [];
  if (hasData("cdnow_sample.txt"))
    cases.push({ name: "CDNOW 1/10 (39 wk → 39 wk)", orders: loadCdnow, asOf: Date.UTC(1997, 9, 1), horizonDays: 273 });
  if (hasData("grocery_elog.csv"))
    cases.push({
      name: "grocery elog (52 wk → 52 wk)",
      orders: loadGroceryElog,
      asOf: Date.UTC(2007, 0, 1),
      horizonDays: 364,
    });
  if (hasData("groceries_member_date_item.csv"))
    cases.push({
      name: "Groceries member×day (split 2015-07-01, 184 d)",
      orders: loadGroceriesOrders,
      asOf: Date.UTC(2015, 6, 1),
      horizonDays: 184,
    });
  const synthetic = await syntheticOrders();
  if (synthetic)
    cases.push({
      name: "synthetic shop (split 2024-10-01, 90 d)",
      orders: () => synthetic,
      asOf: Date.UTC(2024, 9, 1),
      horizonDays: 90,
    });
  console.log("\n### churn / purchase propensity (P(≥1 order in horizon)), holdout after as-of\n");
  console.log("All rows of a dataset are scored on the same customers (everyone with an order before as-of) against");
  console.log("who ordered in [as-of, as-of + horizon). The logistic log-RFM baseline is trained on the latest");
  console.log("snapshot whose label window fits in the history (the horizon, else halved until trainable).\n");
  console.log(
    "| dataset | model | n | AUC | PR-AUC | Brier | mean predicted | actual rate | expected vs actual purchases | s | peak RSS MB |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|---|---|");
  const summaries: Summary[] = [];
  for (const c of cases) {
    const all = c.orders();
    const started = performance.now();
    const train = all.filter((o) => o.at < c.asOf);
    const later = all.filter((o) => o.at >= c.asOf && o.at < c.asOf + c.horizonDays * DAY_MS);
    const result = scoreCustomers(train, {
      asOf: c.asOf,
      horizonDays: c.horizonDays,
      rng: mulberry32(1),
      laterOrders: later,
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const model = result.model as unknown as {
      bgnbd: Record<string, number>;
      pPurchaseSource: string;
      logistic?: { trainedAt: string; trainingHorizonDays?: number };
      blend?: { weightLogistic: number };
      holdout?: { pPurchase: Report; bgnbd: Report; expectedPurchases: number; actualPurchases: number };
    };
    const h = model.holdout;
    const row = (name: string, r: Report | undefined, extra = "") =>
      console.log(
        `| ${c.name} | ${name} | ${r?.n ?? "—"} | ${fmt(r?.auc)} | ${fmt(r?.prAuc)} | ${fmt(r?.brier)} | ${fmt(r?.meanPredicted)} | ${fmt(r?.actualRate)} | ${extra} | ${seconds} | ${peakRssMb()} |`,
      );
    const source =
      model.pPurchaseSource === "selected"
        ? `selected ${result.model.selection?.chosen}, trained on a ${result.model.selection?.productionWindowDays}-day window`
        : model.pPurchaseSource === "blend"
          ? `blend w=${model.blend?.weightLogistic}, trained ${model.logistic?.trainedAt}${model.logistic?.trainingHorizonDays ? ` on a ${model.logistic.trainingHorizonDays}-day window` : ""}`
          : "raw BG/NBD (fallback)";
    row(
      `engine pPurchase (${source})`,
      h?.pPurchase,
      h ? `${h.expectedPurchases.toFixed(0)} vs ${h.actualPurchases}` : "",
    );
    row("BG/NBD", h?.bgnbd);
    const baseline = await logisticRfmBaseline(train, later, c.asOf, c.horizonDays);
    row(`logistic log-RFM baseline (${baseline.note})`, baseline.report);
    const candidates = await candidateHoldout(train, later, c.asOf, c.horizonDays, result.fitted.bgnbd);
    for (const [name, report] of candidates) row(`candidate ${name}`, report);
    const p = model.bgnbd;
    console.log(
      `| ${c.name} | BG/NBD params | r=${fmt(p.r)} α=${fmt(p.alpha)} a=${fmt(p.a)} b=${fmt(p.b)} LL=${fmt(p.logLikelihood, 1)} | | | | | | | | |`,
    );
    summaries.push({ name: c.name, model: result.model, baseline: baseline.report, bg: h?.bgnbd, seconds });
  }
  selectionTables(summaries);
}

type Summary = {
  name: string;
  model: import("../app/analytics/customers").ScoreCustomersResult["model"];
  baseline: Report | undefined;
  bg: Report | undefined;
  seconds: string;
};

/** Chosen vs baselines on the holdout, the shop's own backtest selection, and next-order timing. */
function selectionTables(summaries: Summary[]): void {
  console.log("\n#### chosen model vs baselines (holdout after as-of)\n");
  console.log("| dataset | chosen (window) | AUC | ÷ logistic-RFM | Brier | best baseline Brier | Brier ≤ best? | s |");
  console.log("|---|---|---|---|---|---|---|---|");
  for (const s of summaries) {
    const h = s.model.holdout?.pPurchase;
    const sel = s.model.selection;
    const bestBrier = Math.min(s.baseline?.brier ?? Infinity, s.bg?.brier ?? Infinity);
    const ratio = h?.auc && s.baseline?.auc ? (h.auc / s.baseline.auc).toFixed(3) : "—";
    console.log(
      `| ${s.name} | ${sel ? `${sel.chosen} (backtest ${sel.windowDays} d, trained ${sel.productionWindowDays} d)` : s.model.pPurchaseSource} | ${fmt(h?.auc)} | ${ratio} | ${fmt(h?.brier)} | ${fmt(bestBrier)} | ${h?.brier !== null && h?.brier !== undefined && h.brier <= bestBrier ? "yes" : "no"} | ${s.seconds} |`,
    );
  }
  console.log(
    "\n#### per-shop selection on the backtest (train s₂ → score s₁; AUC, 90 % interval of best − candidate)\n",
  );
  console.log("| dataset | candidate | AUC | PR-AUC | Brier (Platt) | best − this [90 %] | served |");
  console.log("|---|---|---|---|---|---|---|");
  for (const s of summaries) {
    const sel = s.model.selection;
    if (!sel) {
      console.log(`| ${s.name} | (no backtest window: ${s.model.pPurchaseSource}) | | | | | |`);
      continue;
    }
    for (const c of sel.candidates)
      console.log(
        `| ${s.name} | ${c.model} | ${fmt(c.auc)} | ${fmt(c.prAuc)} | ${fmt(c.brier)} | ${c.model === sel.best ? "best" : `${fmt(c.vsBest.mean)} [${fmt(c.vsBest.lo)}, ${fmt(c.vsBest.hi)}]`} | ${c.model === sel.chosen ? "**served**" : ""} |`,
      );
    console.log(
      `| ${s.name} | calibration | ${sel.calibration.kind} | | Platt ${fmt(sel.calibration.brierPlatt)} / isotonic ${fmt(sel.calibration.brierIsotonic)} | | |`,
    );
    console.log(
      `| ${s.name} | reliability (decile: predicted → actual) | ${sel.reliability.map((r) => `${r.decile}: ${fmt(r.meanPredicted)}→${fmt(r.actualRate)}`).join("; ")} | | | | |`,
    );
  }
  console.log("\n#### next order: day of the first order after as-of, customers who ordered in the horizon\n");
  console.log(
    "| dataset | check | buyers | MAE days | 80 % interval coverage | BG/NBD raw MAE / coverage | naive (last + gap) MAE |",
  );
  console.log("|---|---|---|---|---|---|---|");
  for (const s of summaries) {
    const rows: [string, import("../app/analytics/customers").TimingReport | undefined][] = [
      ["holdout after as-of", s.model.holdout?.nextOrder],
      [`backtest at ${s.model.nextOrder.backtest?.evaluatedAt ?? "—"}`, s.model.nextOrder.backtest],
    ];
    for (const [name, t] of rows)
      console.log(
        `| ${s.name} | ${name} | ${t?.buyers ?? "—"} | ${fmt(t?.maeDays)} | ${fmt(t?.coverage)} | ${fmt(t?.rawMaeDays)} / ${fmt(t?.rawCoverage)} | ${fmt(t?.naiveMaeDays)} |`,
      );
  }
}

/** Every propensity candidate fitted as production would, scored on the holdout. */
async function candidateHoldout(
  train: Order[],
  later: Order[],
  asOf: number,
  horizonDays: number,
  bg: { r: number; alpha: number; a: number; b: number },
): Promise<[string, Report][]> {
  const { fitAllCandidates, predictPropensity, summarizeCustomers, classificationReport } =
    await import("../app/analytics/customers");
  const now = summarizeCustomers(train, asOf);
  const buyers = new Set(later.map((o) => o.customer));
  const labels = now.map((h) => (buyers.has(h.customer) ? 1 : 0));
  return fitAllCandidates(train, asOf, horizonDays, bg, mulberry32(1)).map((f) => [
    f.model,
    classificationReport(
      now.map((h) => predictPropensity(f, h)),
      labels,
    ),
  ]);
}

/**
 * docs/contracts.md §5's "logistic regression on log-RFM" baseline: log1p of recency days, repeat purchase
 * days, mean purchase-day value and tenure days, standardised, L2 = 1, trained on the snapshot
 * one label window before as-of (window = horizon, halved while a class has < 5 customers).
 */
async function logisticRfmBaseline(
  train: Order[],
  later: Order[],
  asOf: number,
  horizonDays: number,
): Promise<{ report: Report | undefined; note: string }> {
  const { summarizeCustomers, fitLogistic, predictLogistic, classificationReport } =
    await import("../app/analytics/customers");
  const features = (h: {
    recencyDays: number;
    x: number;
    totalSpend: number;
    purchaseDays: number[];
    tenureDays: number;
  }) => [
    Math.log1p(h.recencyDays),
    Math.log1p(h.x),
    Math.log1p(h.purchaseDays.length ? h.totalSpend / h.purchaseDays.length : 0),
    Math.log1p(h.tenureDays),
  ];
  for (let days = horizonDays; days >= 14; days = Math.floor(days / 2)) {
    const at = asOf - days * DAY_MS;
    const snap = summarizeCustomers(train, at);
    const buyers = new Set(train.filter((o) => o.at >= at && o.at < asOf).map((o) => o.customer));
    const y = snap.map((h) => (buyers.has(h.customer) ? 1 : 0));
    const positives = y.reduce((s: number, v) => s + v, 0);
    if (snap.length < 20 || positives < 5 || snap.length - positives < 5) continue;
    const X = snap.map((h) => features(h));
    const means = X[0].map((_, j) => X.reduce((s, r) => s + r[j], 0) / X.length);
    const sds = X[0].map((_, j) => Math.sqrt(X.reduce((s, r) => s + (r[j] - means[j]) ** 2, 0) / X.length) || 1);
    const z = (r: number[]) => r.map((v, j) => (v - means[j]) / sds[j]);
    const m = fitLogistic(X.map(z), y, { l2: 1 });
    const now = summarizeCustomers(train, asOf);
    const laterBuyers = new Set(later.map((o) => o.customer));
    const report = classificationReport(
      now.map((h) => predictLogistic(m, z(features(h)))),
      now.map((h) => (laterBuyers.has(h.customer) ? 1 : 0)),
    );
    return {
      report,
      note:
        days === horizonDays
          ? `trained ${new Date(at).toISOString().slice(0, 10)}`
          : `trained ${new Date(at).toISOString().slice(0, 10)} on a ${days}-day window`,
    };
  }
  return { report: undefined, note: "too little history to train" };
}

type Report = {
  n: number;
  auc: number | null;
  prAuc: number | null;
  brier: number | null;
  meanPredicted: number | null;
  actualRate: number | null;
};

async function main(): Promise<void> {
  console.log(
    `# growthpilot engine benchmark\n\ndata: ${DATA_DIR}${existsSync(DATA_DIR) ? "" : " (absent: public-data sections skipped)"}`,
  );
  if (want("ta-feng") && hasData("tafeng_merged.json")) recommendationTable(loadTaFeng(), [10, 20]);
  if (want("groceries") && hasData("groceries_member_date_item.csv")) recommendationTable(loadGroceries(), [20]);
  if (want("synthetic")) {
    const ds = await syntheticDataset();
    if (ds) recommendationTable(ds, [20]);
    else console.log("\n(devstore generator not present: synthetic section skipped)");
  }
  if (want("shopify-exports")) {
    const exports = await loadShopifyExports();
    if (exports.length === 0) console.log("\n(no Shopify export with ≥ 300 orders: section skipped)");
    for (const ds of exports) recommendationTable(ds, [20]);
  }
  if (want("churn")) await churnTable();
  if (want("forecast")) await forecastCases();
  if (want("speed") && !args.includes("--skip-speed")) await speed();
  if (want("peer") && !args.includes("--skip-speed")) await peerComparison();
}

// ─── forecast ──────────────────────────────────────────────────────────────────────────────────

/** Dated logs: the forecast's backtest on each (groceries and the elog have no money: orders only). */
async function forecastCases(): Promise<void> {
  const cases: { name: string; orders: Order[]; money: boolean }[] = [];
  if (hasData("cdnow_sample.txt")) cases.push({ name: "CDNOW 1/10 (18 months)", orders: loadCdnow(), money: true });
  if (hasData("grocery_elog.csv"))
    cases.push({ name: "grocery elog (2 years)", orders: loadGroceryElog(), money: false });
  if (hasData("groceries_member_date_item.csv"))
    cases.push({ name: "Groceries member×day (2 years)", orders: loadGroceriesOrders(), money: false });
  const synthetic = await syntheticOrders();
  if (synthetic) cases.push({ name: "synthetic shop (2 years)", orders: synthetic, money: true });
  forecastTable(cases);
}

// ─── speed ────────────────────────────────────────────────────────────────────────────────────

/** Runs the CLI end to end under /usr/bin/time and prints wall, CPU and peak RSS. */
async function speed(): Promise<void> {
  const csvPath = await speedOrdersCsv();
  const out = join(OUT, "speed_score");
  rmSync(out, { recursive: true, force: true });
  const result = runScore(csvPath, out, { ...process.env, GROWTHPILOT_TIMINGS: "1" });
  console.log(
    `\n### speed: \`growthpilot score\` end to end (${csvLineCount(csvPath).toLocaleString("en")} CSV lines, exit ${result.status})\n`,
  );
  for (const l of result.stderr.split("\n").filter((l) => l.startsWith("timing:"))) console.log(`    ${l}`);
  const { wallS, userS, sysS, peakRssMb } = result;
  console.log(`\n| wall s | user s | sys s | peak RSS MB | target |\n|---|---|---|---|---|`);
  console.log(
    `| ${wallS.toFixed(1)} | ${userS} | ${sysS} | ${peakRssMb} | ≤ 10 s, ≤ 1024 MB: ${wallS <= 10 && peakRssMb <= 1024 ? "met" : "NOT met"} |`,
  );
  console.log(`\n(load average while measuring: ${loadAverage()})`);
}

await main();
