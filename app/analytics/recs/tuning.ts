import type { Order } from "../types";
import { fitComponents, type BlendWeights, type RecommenderInput, type RecommenderParams } from "./fitted";
import { meanOfFiniteOrZero } from "../stats";
import { basketComponents, basketScores, customerComponents, discoveryScores, forYouScores } from "./scoring";
import { topK } from "./topk";
import { DAY_MS } from "../time";

/**
 * Per-shop blend weights chosen by temporal validation, so the same engine suits a 150-SKU
 * grocery (where popularity is hard to beat) and a long-tail catalogue (where co-purchase wins)
 * without hand-tuning: refit on orders before (as-of − H), replay the last H days, and take the
 * grid point with the best Recall@20 (discovery, for you) and HR@10 (basket completion).
 * H = a fifth of the history, clamped to 14–90 days. Falls back to the defaults when the window
 * holds fewer than `MIN_CASES` returning customers / multi-item orders.
 */
export interface TuningReport {
  weights: BlendWeights;
  validationDays: number;
  customerCases: number;
  basketCases: number;
  /** Validation score of the chosen weights vs the defaults. */
  discoveryRecall: { chosen: number; defaults: number };
  forYouRecall: { chosen: number; defaults: number };
  basketHitRate: { chosen: number; defaults: number };
}

const MIN_CASES = 30;
const TUNING_EASE_ITEMS = 500;
const MAX_CASES = 300;
const GRID = {
  knn: [0, 0.5, 1],
  popularity: [0, 0.1, 0.25, 0.5, 1, 2, 4],
  forYouDiscovery: [0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 4],
  basketEase: [0, 0.5, 1, 2],
  basketPopularity: [0, 0.1, 0.3, 1],
};

export function tuneWeights(orders: Order[], input: RecommenderInput, params: RecommenderParams): TuningReport | null {
  const past = orders.filter((o) => o.at < input.asOf);
  if (past.length === 0) return null;
  const first = past.reduce((min, o) => Math.min(min, o.at), Infinity);
  const validationDays = Math.max(14, Math.min(90, Math.round((input.asOf - first) / DAY_MS / 5)));
  const cut = input.asOf - validationDays * DAY_MS;
  // The validation fit only has to rank blend weights, not serve lists: a smaller dense EASE
  // (≤ 500 items, ~8× cheaper) keeps tuning to a fraction of the final fit's cost.
  const f = fitComponents(
    past,
    { ...input, asOf: cut },
    { ...params, maxEaseItems: Math.min(params.maxEaseItems, TUNING_EASE_ITEMS) },
  );
  const window = past.filter((o) => o.at >= cut);

  const truth = new Map<number, Set<number>>();
  for (const o of window) {
    const c = f.data.customerIndex.get(o.customer);
    if (c === undefined) continue;
    let set = truth.get(c);
    if (!set) truth.set(c, (set = new Set()));
    for (const l of o.lines) {
      const id = f.data.itemIndex.get(l.sku);
      if (id !== undefined) set.add(id);
    }
  }
  const customers = evenlySpaced(
    [...truth.keys()].sort((a, b) => a - b),
    MAX_CASES,
  );
  const baskets = evenlySpaced(
    window
      .map((o, n) => {
        const ids = [...new Set(o.lines.map((l) => f.data.itemIndex.get(l.sku)))].filter(
          (i): i is number => i !== undefined,
        );
        ids.sort((a, b) => a - b);
        return ids.length >= 2
          ? { hidden: ids[n % ids.length], given: ids.filter((_, k) => k !== n % ids.length) }
          : null;
      })
      .filter((b): b is { hidden: number; given: number[] } => b !== null),
    MAX_CASES,
  );
  if (customers.length < MIN_CASES && baskets.length < MIN_CASES) return null;

  const defaults = params.weights;
  const weights: BlendWeights = { ...defaults };
  const report = {
    discoveryRecall: { chosen: 0, defaults: 0 },
    forYouRecall: { chosen: 0, defaults: 0 },
    basketHitRate: { chosen: 0, defaults: 0 },
  };

  if (customers.length >= MIN_CASES) {
    const comps = customers.map((c) => customerComponents(f, c));
    const out = f.pool.acquire();
    const discovery = (w: BlendWeights) =>
      meanOfFiniteOrZero(
        comps.map((comp) => {
          const owned = new Set(comp.profile);
          const target = [...truth.get(comp.customer)!].filter((i) => !owned.has(i));
          if (target.length === 0) return NaN;
          return recall(
            topK(discoveryScores(f, comp, w, out), 20, (j) => owned.has(j)),
            target,
            20,
          );
        }),
      );
    const forYou = (w: BlendWeights) =>
      meanOfFiniteOrZero(
        comps.map((comp) => recall(topK(forYouScores(f, comp, w, out).total, 20), [...truth.get(comp.customer)!], 20)),
      );
    const best = search(discovery, defaults, [
      ["knn", GRID.knn],
      ["popularity", GRID.popularity],
    ]);
    Object.assign(weights, best.weights);
    report.discoveryRecall = { chosen: best.score, defaults: discovery(defaults) };
    const bestForYou = search(forYou, weights, [["forYouDiscovery", GRID.forYouDiscovery]]);
    Object.assign(weights, bestForYou.weights);
    report.forYouRecall = { chosen: bestForYou.score, defaults: forYou(defaults) };
  }
  if (baskets.length >= MIN_CASES) {
    const comps = baskets.map((b) => ({ b, comp: basketComponents(f, b.given) }));
    const out = f.pool.acquire();
    const hitRate = (w: BlendWeights) =>
      meanOfFiniteOrZero(
        comps.map(({ b, comp }) => {
          const given = new Set(b.given);
          return topK(basketScores(f, comp, w, out), 10, (j) => given.has(j)).includes(b.hidden) ? 1 : 0;
        }),
      );
    const best = search(hitRate, weights, [
      ["basketEase", GRID.basketEase],
      ["basketPopularity", GRID.basketPopularity],
    ]);
    Object.assign(weights, best.weights);
    report.basketHitRate = { chosen: best.score, defaults: hitRate(defaults) };
  }
  return { weights, validationDays, customerCases: customers.length, basketCases: baskets.length, ...report };
}

/** Exhaustive search over the given axes; the starting weights win ties (no change without evidence). */
function search(
  objective: (w: BlendWeights) => number,
  start: BlendWeights,
  axes: [keyof BlendWeights, number[]][],
): { weights: BlendWeights; score: number } {
  let best = { weights: { ...start }, score: objective(start) };
  const visit = (axis: number, w: BlendWeights): void => {
    if (axis === axes.length) {
      const score = objective(w);
      if (score > best.score + 1e-9) best = { weights: { ...w }, score };
      return;
    }
    const [key, values] = axes[axis];
    for (const v of values) visit(axis + 1, { ...w, [key]: v });
  };
  visit(0, start);
  return best;
}

function recall(ranked: number[], truth: number[], k: number): number {
  if (truth.length === 0) return NaN;
  const set = new Set(truth);
  return ranked.filter((j) => set.has(j)).length / Math.min(truth.length, k);
}

/** At most `max` elements, evenly spaced (deterministic subsampling). */
function evenlySpaced<T>(values: T[], max: number): T[] {
  if (values.length <= max) return values;
  const step = values.length / max;
  return Array.from({ length: max }, (_, k) => values[Math.floor(k * step)]);
}
