import { fitRecommender, type RecommenderParams } from "../recs/recommender";
import type { Order } from "../types";
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
  const k = opts.k ?? 20;
  const basketK = opts.basketK ?? 10;
  const engine = fitRecommender(train, { asOf: opts.asOf, params: opts.params });
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
  return rows;
}
