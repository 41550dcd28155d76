import { backtestWithSummary, engineVsBestBaseline, type BacktestRow } from "../../app/analytics/eval/backtest";
import type { TuningReport } from "../../app/analytics/recs";
import type { RecDataset } from "./datasets";

/** Recommendation section of `bench:engine`: every method's metrics, the engine-vs-best ratios, the selection. */
export function recommendationTable(ds: RecDataset, ks: number[]): void {
  const started = performance.now();
  const rows: BacktestRow[] = [];
  let tuning: TuningReport | null = null;
  for (const k of ks) {
    const result = backtestWithSummary(ds.train, ds.cases, ds.baskets, {
      asOf: ds.asOf,
      k,
      baselines: { maxEaseItems: 2000 },
    });
    rows.push(...result.rows);
    tuning = result.engine.tuning as TuningReport | null;
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`\n### ${ds.name} — ${ds.note}`);
  console.log(
    `${ds.train.length} training orders, ${ds.cases.length} test customers, ${ds.baskets.length} basket cases; ` +
      `${seconds.toFixed(1)} s for all methods, peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB\n`,
  );
  console.log("| task | k | method | cases | Recall | NDCG | HR |");
  console.log("|---|---|---|---|---|---|---|");
  const seen = new Set<string>();
  const unique = rows.filter((r) => {
    const key = `${r.task}|${r.k}|${r.method}`;
    if (seen.has(key)) return false; // completion is k-independent of the customer cut-off
    seen.add(key);
    return true;
  });
  for (const r of unique) {
    console.log(
      `| ${r.task} | ${r.k} | ${r.method} | ${r.cases} | ${fmt(r.recall)} | ${fmt(r.ndcg)} | ${fmt(r.hitRate)} |`,
    );
  }
  console.log("\nEngine vs the best baseline in this run (test split):\n");
  console.log("| task | metric | engine | best baseline | baseline | ratio |");
  console.log("|---|---|---|---|---|---|");
  for (const r of engineVsBestBaseline(unique)) {
    console.log(
      `| ${r.task} | ${r.metric} | ${fmt(r.engine)} | ${r.baseline} | ${fmt(r.best)} | **${fmt(r.ratio, 2)}** |`,
    );
  }
  printSelection(tuning);
}

/** The engine's per-shop selection on its validation split (D31): every candidate and interval. */
function printSelection(tuning: TuningReport | null): void {
  if (!tuning) return void console.log("\n(no tuning: too few validation cases; default blend served)");
  console.log(
    `\nSelection on the validation split (last ${tuning.validationDays} days of training; ${tuning.customerCases} of ` +
      `${tuning.returningCustomers} returning customers, ${tuning.basketCases} of ${tuning.multiItemOrders} multi-item ` +
      `orders, cap ${tuning.maxCases}; EASE ${tuning.easeItems} items):\n`,
  );
  console.log("| list | metric | served | candidate: score [90 % interval of best − candidate] |");
  console.log("|---|---|---|---|");
  for (const [list, s] of Object.entries(tuning.selection)) {
    if (!s) {
      console.log(`| ${list} | — | blend (too few cases) | |`);
      continue;
    }
    const cells = s.candidates.map(
      (c) =>
        `${c.model} ${fmt(c.score)}${c.model === s.best ? " (best)" : ` [${fmt(c.vsBest.lo)}, ${fmt(c.vsBest.hi)}]`}`,
    );
    console.log(`| ${list} | ${s.metric} | **${s.chosen}** | ${cells.join("; ")} |`);
  }
}

export function fmt(v: number | null | undefined, digits = 3): string {
  return v === null || v === undefined || !Number.isFinite(v) ? "—" : v.toFixed(digits);
}
