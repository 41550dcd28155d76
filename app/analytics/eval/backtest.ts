import { fitRecommender, type RecommenderParams } from "../recs/recommender";
import type { Order, Rng } from "../types";
import { fitBaselines, type BaselineOptions } from "./baselines";
import { meanOfFinite } from "../stats";
import { hitRateAtK, ndcgAtK, recallAtK } from "./metrics";

/** A customer whose purchases after as-of are the ground truth. */
export interface TruthCase {
  customer: string;
  truth: ReadonlySet<string>;
}

/** A test order with one item hidden (see `holdOneOut`). */
export interface BasketCase {
  given: string[];
  hidden: string;
}

export interface BacktestRow {
  task: "discovery" | "forYou" | "completion";
  method: string;
  cases: number;
  recall: number;
  ndcg: number;
  hitRate: number;
  k: number;
}

export interface BacktestOptions {
  asOf: number;
  /** Cut-off for discovery / for-you (20 in docs/contracts.md §5). */
  k?: number;
  /** Cut-off for basket completion HR (10 in docs/contracts.md §5). */
  basketK?: number;
  params?: Partial<RecommenderParams>;
  baselines?: BaselineOptions;
  /** Rng of the engine's model selection (bootstrap); mulberry32(0) when absent. */
  selectionRng?: Rng;
}

/**
 * Scores the engine and every baseline on the same split: discovery (truth minus owned items,
 * owned items excluded from every method), "for you" (repeats allowed) and basket completion.
 * Full-catalogue ranking; customers with empty truth for a task are skipped for that task.
 */
export function backtestRecommendations(
  train: Order[],
  cases: TruthCase[],
  baskets: BasketCase[],
  opts: BacktestOptions,
): BacktestRow[] {
  return backtestWithSummary(train, cases, baskets, opts).rows;
}

/** The same backtest plus the engine's fitted summary (its per-shop selection), for reports. */
export function backtestWithSummary(
  train: Order[],
  cases: TruthCase[],
  baskets: BasketCase[],
  opts: BacktestOptions,
): { rows: BacktestRow[]; engine: Record<string, unknown> } {
  const k = opts.k ?? 20;
  const basketK = opts.basketK ?? 10;
  const engine = fitRecommender(train, { asOf: opts.asOf, params: opts.params, selectionRng: opts.selectionRng });
  const baselines = fitBaselines(engine.data, opts.baselines);
  const owned = (customer: string): Set<string> => {
    const c = engine.data.customerIndex.get(customer);
    return new Set(c === undefined ? [] : Array.from(engine.data.customerItems[c], (i) => engine.data.items[i]));
  };
  const rows: BacktestRow[] = [];
  const score = (
    task: BacktestRow["task"],
    method: string,
    cut: number,
    items: { ranked: string[]; truth: ReadonlySet<string> }[],
  ) => {
    rows.push({
      task,
      method,
      k: cut,
      cases: items.filter((x) => x.truth.size > 0).length,
      recall: meanOfFinite(items.map((x) => recallAtK(x.ranked, x.truth, cut))),
      ndcg: meanOfFinite(items.map((x) => ndcgAtK(x.ranked, x.truth, cut))),
      hitRate: meanOfFinite(items.map((x) => hitRateAtK(x.ranked, x.truth, cut))),
    });
  };

  const discoveryCases = cases.map((c) => {
    const own = owned(c.customer);
    return { ...c, own, truth: new Set([...c.truth].filter((s) => !own.has(s))) };
  });
  const discoveryMethods: [string, (c: (typeof discoveryCases)[number]) => string[]][] = [
    ["engine", (c) => engine.discovery(c.customer, k).items],
    ["popularity-30d", (c) => baselines.popularity(k, c.own)],
    ["itemknn-cosine", (c) => baselines.itemKnn(c.customer, k, true)],
    ["ease", (c) => baselines.ease(c.customer, k, true)],
  ];
  for (const [method, rank] of discoveryMethods) {
    score(
      "discovery",
      method,
      k,
      discoveryCases.map((c) => ({ ranked: rank(c), truth: c.truth })),
    );
  }

  const forYouMethods: [string, (c: TruthCase) => string[]][] = [
    ["engine", (c) => engine.forYou(c.customer, k).items],
    ["own-top-frequency", (c) => baselines.ownTopFrequency(c.customer, k)],
    ["popularity-30d", () => baselines.popularity(k)],
    ["itemknn-cosine", (c) => baselines.itemKnn(c.customer, k, false)],
    ["ease", (c) => baselines.ease(c.customer, k, false)],
  ];
  for (const [method, rank] of forYouMethods) {
    score(
      "forYou",
      method,
      k,
      cases.map((c) => ({ ranked: rank(c), truth: c.truth })),
    );
  }

  const completionMethods: [string, (b: BasketCase) => string[]][] = [
    ["engine", (b) => engine.completeBasket(b.given, basketK).items],
    ["rules-max-confidence", (b) => baselines.rules(b.given, basketK)],
    ["ease-baskets", (b) => baselines.basketEase(b.given, basketK)],
    ["popularity-30d", (b) => baselines.popularity(basketK, new Set(b.given))],
  ];
  for (const [method, rank] of completionMethods) {
    score(
      "completion",
      method,
      basketK,
      baskets.map((b) => ({ ranked: rank(b), truth: new Set([b.hidden]) })),
    );
  }
  return { rows, engine: engine.summary() };
}

/**
 * Per task, the engine against the best baseline on that task's headline metric (Recall@k for
 * discovery and for you, HR@k for completion): the ratio docs/contracts.md §5 asks to exceed 1.
 */
export function engineVsBestBaseline(rows: BacktestRow[]): {
  task: BacktestRow["task"];
  k: number;
  metric: string;
  engine: number;
  baseline: string;
  best: number;
  ratio: number;
}[] {
  const out = [];
  const groups = new Map<string, BacktestRow[]>();
  for (const r of rows) groups.set(`${r.task}|${r.k}`, [...(groups.get(`${r.task}|${r.k}`) ?? []), r]);
  for (const group of groups.values()) {
    const metric = group[0].task === "completion" ? "hitRate" : "recall";
    const engine = group.find((r) => r.method === "engine");
    const others = group.filter((r) => r.method !== "engine");
    if (!engine || others.length === 0) continue;
    const best = others.reduce((a, b) => (b[metric] > a[metric] ? b : a));
    out.push({
      task: engine.task,
      k: engine.k,
      metric: metric === "hitRate" ? `HR@${engine.k}` : `Recall@${engine.k}`,
      engine: engine[metric],
      baseline: best.method,
      best: best[metric],
      ratio: engine[metric] / best[metric],
    });
  }
  return out;
}
