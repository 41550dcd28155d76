import type { Order, Rng } from "../types";
import {
  DEFAULT_CHOICE,
  fitComponents,
  type BasketModel,
  type BlendWeights,
  type DiscoveryModel,
  type Fitted,
  type ForYouModel,
  type ModelChoice,
  type RecommenderInput,
  type RecommenderParams,
} from "./fitted";
import { mulberry32 } from "../rng";
import { meanOfFiniteOrZero } from "../stats";
import {
  basketComponents,
  basketScores,
  buyAgainList,
  customerComponents,
  discoveryScores,
  forYouBlendInto,
  ownTopFrequencyScores,
  releaseComponents,
} from "./scoring";
import { selectModel, type ListSelection } from "./selection";
import {
  bestGridPoint,
  evenlySpaced,
  gridPoints,
  hiddenItemCases,
  hitAt10,
  outOfFoldScores,
  CaseRanker,
  windowTruth,
  type Hidden,
} from "./validation";
import { DAY_MS } from "../time";
import { scaleToUnitMax } from "./fitted";

/**
 * Per-shop blend weights and model selection by temporal validation, so the same engine suits a
 * 150-SKU grocery (where popularity is hard to beat) and a long-tail catalogue (where co-purchase
 * wins) without hand-tuning: refit on orders before (as-of − H) with the serving sizes (same EASE
 * cap), replay the last H days, grid-search the blend weights on Recall@20 (discovery, for you) and
 * HR@10 (basket completion), then let selection.ts pick between the tuned blend and each single
 * model (D31). H = a fifth of the history, clamped to 14–90 days. A list keeps the default blend
 * when the window holds fewer than `MIN_CASES` returning customers / multi-item orders.
 */
export interface TuningReport {
  weights: BlendWeights;
  /** The model serving each list. */
  choice: ModelChoice;
  validationDays: number;
  /** Validation cases used (≤ MAX_CASES each, evenly spaced) out of those available. */
  customerCases: number;
  basketCases: number;
  returningCustomers: number;
  multiItemOrders: number;
  maxCases: number;
  /** Dense EASE size of the validation fit (the serving cap applied to the validation data). */
  easeItems: number;
  /** Validation score of the tuned blend vs the default weights. */
  discoveryRecall: { chosen: number; defaults: number };
  forYouRecall: { chosen: number; defaults: number };
  basketHitRate: { chosen: number; defaults: number };
  /** Every candidate's score and interval per list; null when the list had too few cases. */
  selection: { discovery: ListSelection | null; forYou: ListSelection | null; basket: ListSelection | null };
}

const MIN_CASES = 30;
/**
 * Validation cases per task: all returning customers / multi-item orders up to this cap (evenly
 * spaced beyond it). At 1,000 a recall-difference interval is ~±0.01–0.03 wide; 2,000 doubled the
 * worker's tuning CPU on the 3.7k-SKU speed log and made it the critical path of `score`
 * (docs/engine.md, "Selection").
 */
export const MAX_CASES = 1000;
const GRID = {
  knn: [0, 0.5, 1],
  popularity: [0, 0.1, 0.25, 0.5, 1, 2, 4],
  forYouDiscovery: [0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 4],
  basketEase: [0, 0.5, 1, 2],
  basketPopularity: [0, 0.1, 0.3, 1],
};
/** Candidates per list, simplest first (the order in which selection prefers them). */
const DISCOVERY_SINGLES: DiscoveryModel[] = ["popularity", "itemknn", "ease"];
const FOR_YOU_SINGLES: ForYouModel[] = ["popularity", "own-top-frequency", "itemknn", "ease"];
const BASKET_SINGLES: BasketModel[] = ["popularity", "rules", "cooccurrence", "ease"];

export function tuneWeights(orders: Order[], input: RecommenderInput, params: RecommenderParams): TuningReport | null {
  const rng = input.selectionRng ?? mulberry32(0);
  const past = orders.filter((o) => o.at < input.asOf);
  if (past.length === 0) return null;
  const first = past.reduce((min, o) => Math.min(min, o.at), Infinity);
  const validationDays = Math.max(14, Math.min(90, Math.round((input.asOf - first) / DAY_MS / 5)));
  const cut = input.asOf - validationDays * DAY_MS;
  const f = fitComponents(past, { ...input, asOf: cut }, params); // serving sizes (same EASE cap)
  const window = past.filter((o) => o.at >= cut);
  const truth = windowTruth(f, window);
  const returning = [...truth.keys()].sort((a, b) => a - b);
  const multiItem = hiddenItemCases(f, window);
  const customers = evenlySpaced(returning, MAX_CASES);
  const baskets = evenlySpaced(multiItem, MAX_CASES);
  if (customers.length < MIN_CASES && baskets.length < MIN_CASES) return null;

  const defaults = params.weights;
  const weights: BlendWeights = { ...defaults };
  const choice: ModelChoice = { ...DEFAULT_CHOICE };
  const report: Pick<TuningReport, "discoveryRecall" | "forYouRecall" | "basketHitRate" | "selection"> = {
    discoveryRecall: { chosen: 0, defaults: 0 },
    forYouRecall: { chosen: 0, defaults: 0 },
    basketHitRate: { chosen: 0, defaults: 0 },
    selection: { discovery: null, forYou: null, basket: null },
  };
  if (customers.length >= MIN_CASES) {
    const d = tuneDiscovery(f, customers, truth, defaults, rng);
    Object.assign(weights, d.weights);
    choice.discovery = d.selection.chosen as DiscoveryModel;
    const y = tuneForYou(f, customers, truth, weights, defaults, d.forYouSingles, rng);
    weights.forYouDiscovery = y.forYouDiscovery;
    choice.forYou = y.selection.chosen as ForYouModel;
    report.discoveryRecall = d.blend;
    report.forYouRecall = y.blend;
    report.selection.discovery = d.selection;
    report.selection.forYou = y.selection;
  }
  if (baskets.length >= MIN_CASES) {
    const b = tuneBasket(f, baskets, defaults, rng);
    Object.assign(weights, b.weights);
    choice.basket = b.selection.chosen as BasketModel;
    report.basketHitRate = b.blend;
    report.selection.basket = b.selection;
  }
  return {
    weights,
    choice,
    validationDays,
    customerCases: customers.length,
    basketCases: baskets.length,
    returningCustomers: returning.length,
    multiItemOrders: multiItem.length,
    maxCases: MAX_CASES,
    easeItems: f.customerEase?.itemIds.length ?? 0,
    ...report,
  };
}

/** Discovery: blend grid (knn × popularity) and the single models, in one pass over the customers. */
function tuneDiscovery(
  f: Fitted,
  customers: number[],
  truth: Map<number, Set<number>>,
  defaults: BlendWeights,
  rng: Rng,
) {
  const grid = gridPoints(defaults, [
    ["knn", GRID.knn],
    ["popularity", GRID.popularity],
  ]);
  const gridScores = grid.map(() => new Float64Array(customers.length));
  const singles = DISCOVERY_SINGLES.filter((m) => m !== "ease" || f.customerEase);
  const singleScores = singles.map(() => new Float64Array(customers.length));
  const fySingles = FOR_YOU_SINGLES.filter((m) => m !== "ease" || f.customerEase);
  const fyScores = fySingles.map(() => new Float64Array(customers.length));
  const out = f.pool.acquire();
  const newItems = new CaseRanker(f, 20);
  const anyItems = new CaseRanker(f, 20);
  customers.forEach((c, n) => {
    const comp = customerComponents(f, c);
    const owned = new Set(comp.profile);
    const all = truth.get(c)!;
    newItems.setCase(
      owned,
      [...all].filter((i) => !owned.has(i)),
    );
    anyItems.setCase([], all);
    const discoveryRecall = (scores: Float64Array) => newItems.recall(scores);
    grid.forEach((w, g) => (gridScores[g][n] = discoveryRecall(discoveryScores(f, comp, w, out))));
    singles.forEach((m, s) => (singleScores[s][n] = discoveryRecall(discoveryScores(f, comp, defaults, out, m))));
    const list = buyAgainList(f, c);
    fySingles.forEach((m, s) => {
      const total =
        m === "own-top-frequency" ? ownTopFrequencyScores(f, list, out) : discoveryScores(f, comp, defaults, out, m);
      fyScores[s][n] = anyItems.recall(total);
    });
    releaseComponents(f, comp);
  });
  f.pool.release(out);
  const g = bestGridPoint(gridScores);
  const selection = selectModel(
    "recall@20",
    [...singles.map((m, s) => [m, singleScores[s]] as [string, Float64Array]), ["blend", outOfFoldScores(gridScores)]],
    rng,
  );
  return {
    weights: grid[g],
    blend: {
      chosen: meanOfFiniteOrZero(Array.from(gridScores[g])),
      defaults: meanOfFiniteOrZero(Array.from(gridScores[0])),
    },
    selection,
    forYouSingles: fySingles.map((m, s) => [m, fyScores[s]] as [string, Float64Array]),
  };
}

/** For you: the buy-again/discovery weight on the tuned discovery blend, then selection. */
function tuneForYou(
  f: Fitted,
  customers: number[],
  truth: Map<number, Set<number>>,
  weights: BlendWeights,
  defaults: BlendWeights,
  singles: [string, Float64Array][],
  rng: Rng,
) {
  const values = [weights.forYouDiscovery, ...GRID.forYouDiscovery];
  const scores = values.map(() => new Float64Array(customers.length));
  const defaultScores = new Float64Array(customers.length);
  const discovery = f.pool.acquire();
  const out = f.pool.acquire();
  const ranker = new CaseRanker(f, 20);
  customers.forEach((c, n) => {
    const comp = customerComponents(f, c);
    ranker.setCase([], truth.get(c)!);
    const list = buyAgainList(f, c);
    scaleToUnitMax(discoveryScores(f, comp, weights, discovery));
    values.forEach((v, g) => (scores[g][n] = ranker.recall(forYouBlendInto(out, discovery, list, v))));
    scaleToUnitMax(discoveryScores(f, comp, defaults, discovery));
    defaultScores[n] = ranker.recall(forYouBlendInto(out, discovery, list, defaults.forYouDiscovery));
    releaseComponents(f, comp);
  });
  f.pool.release(discovery, out);
  const g = bestGridPoint(scores);
  return {
    forYouDiscovery: values[g],
    blend: {
      chosen: meanOfFiniteOrZero(Array.from(scores[g])),
      defaults: meanOfFiniteOrZero(Array.from(defaultScores)),
    },
    selection: selectModel("recall@20", [...singles, ["blend", outOfFoldScores(scores)]], rng),
  };
}

/** Basket completion: blend grid (basket EASE × popularity) and the single models, one pass. */
function tuneBasket(f: Fitted, baskets: Hidden[], defaults: BlendWeights, rng: Rng) {
  const grid = gridPoints(defaults, [
    ["basketEase", GRID.basketEase],
    ["basketPopularity", GRID.basketPopularity],
  ]);
  const gridScores = grid.map(() => new Float64Array(baskets.length));
  const singles = BASKET_SINGLES.filter((m) => m !== "ease" || f.basketEase());
  const singleScores = singles.map(() => new Float64Array(baskets.length));
  const out = f.pool.acquire();
  baskets.forEach((b, n) => {
    const comp = basketComponents(f, b.given);
    const given = new Set(b.given);
    const hit = (scores: Float64Array) => hitAt10(f, scores, b.hidden, given);
    grid.forEach((w, g) => (gridScores[g][n] = hit(basketScores(f, comp, w, out))));
    singles.forEach((m, s) => (singleScores[s][n] = hit(basketScores(f, comp, defaults, out, m))));
    releaseComponents(f, comp);
  });
  f.pool.release(out);
  const g = bestGridPoint(gridScores);
  return {
    weights: grid[g],
    blend: {
      chosen: meanOfFiniteOrZero(Array.from(gridScores[g])),
      defaults: meanOfFiniteOrZero(Array.from(gridScores[0])),
    },
    selection: selectModel(
      "hr@10",
      [
        ...singles.map((m, s) => [m, singleScores[s]] as [string, Float64Array]),
        ["blend", outOfFoldScores(gridScores)],
      ],
      rng,
    ),
  };
}
