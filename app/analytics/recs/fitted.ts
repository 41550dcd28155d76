import type { Order, ProductInfo, RecFilterSettings, Rng } from "../types";
import { repeatStats, type RepeatStats } from "./buyAgain";
import { buildContentIndex, type ContentIndex } from "./content";
import { fitEase, type EaseModel } from "./ease";
import { DEFAULT_FILTERS, eligibilityMask } from "./filters";
import { buildInteractions, type Interactions } from "./interactions";
import { cooccurrenceNeighbours, type NeighbourLists } from "./neighbours";
import { popularity, type Popularity } from "./popularity";
import { topK } from "./topk";

/** Tunables; defaults were chosen on the benchmark datasets (docs/engine.md) and are recorded in model.json. */
export interface RecommenderParams {
  listLength: number;
  /** EASE L2 penalty λ. */
  easeLambda: number;
  /** Dense EASE is fitted on at most this many (most-bought) items; see ease.ts for timings. */
  maxEaseItems: number;
  /** Neighbours kept per item in the sparse models. */
  neighbours: number;
  /** Co-occurrence similarity (see neighbours.ts) for bought-together / basket completion. */
  basketAlpha: number;
  basketShrinkage: number;
  /** Same for customer-level "also bought" and ItemKNN. */
  customerAlpha: number;
  customerShrinkage: number;
  minSupport: number;
  popularityHalfLifeDays: number;
  repeatHalfLifeDays: number;
  /** Half-life for weighting a customer's past items in the collaborative profile. */
  profileHalfLifeDays: number;
  /** Sales (orders) at which content and collaborative evidence weigh equally for a product. */
  contentHalfOrders: number;
  useRepeatInterval: boolean;
  /** Pick the blend weights per shop by a temporal validation split (tuning.ts); else use `weights`. */
  autoTune: boolean;
  weights: BlendWeights;
}

/**
 * How the max-normalised components are added up. Discovery = EASE + knn·KNN + popularity·POP;
 * for you = buy-again (owned items) and forYouDiscovery·discovery (new items); basket completion =
 * co-occurrence + basketEase·EASE(baskets) + basketPopularity·POP.
 */
export interface BlendWeights {
  knn: number;
  popularity: number;
  forYouDiscovery: number;
  basketEase: number;
  basketPopularity: number;
}

/**
 * Which model serves each list (selection.ts picks them per shop): the blend, or one of its
 * single components / the simple baselines on their own. Ordered simplest first in `SIMPLICITY`.
 */
export type DiscoveryModel = "popularity" | "itemknn" | "ease" | "blend";
export type ForYouModel = "popularity" | "own-top-frequency" | "itemknn" | "ease" | "blend";
export type BasketModel = "popularity" | "rules" | "cooccurrence" | "ease" | "blend";
export interface ModelChoice {
  discovery: DiscoveryModel;
  forYou: ForYouModel;
  basket: BasketModel;
}

/** Without tuning every list is served by the blend (the behaviour before per-shop selection). */
export const DEFAULT_CHOICE: ModelChoice = { discovery: "blend", forYou: "blend", basket: "blend" };

export const DEFAULT_WEIGHTS: BlendWeights = {
  knn: 0.5,
  popularity: 0.25,
  forYouDiscovery: 0.3,
  basketEase: 1,
  basketPopularity: 0.1,
};

export const DEFAULT_PARAMS: RecommenderParams = {
  listLength: 20,
  easeLambda: 500,
  maxEaseItems: 1200,
  neighbours: 50,
  basketAlpha: 0.5,
  basketShrinkage: 2,
  customerAlpha: 0.5,
  customerShrinkage: 2,
  minSupport: 2,
  popularityHalfLifeDays: 30,
  repeatHalfLifeDays: 120,
  profileHalfLifeDays: 3650,
  contentHalfOrders: 10,
  useRepeatInterval: true,
  autoTune: true,
  weights: DEFAULT_WEIGHTS,
};

export interface RecommenderInput {
  asOf: number;
  products?: ProductInfo[];
  filters?: RecFilterSettings;
  params?: Partial<RecommenderParams>;
  /**
   * Randomness for the selection's bootstrap intervals (tuning only; every fitted model stays
   * deterministic). Injected like every rng in the engine; mulberry32(0) when absent.
   */
  selectionRng?: Rng;
}

/** Everything fitted from the orders; the scoring functions read it, never mutate it. */
export interface Fitted {
  params: RecommenderParams;
  weights: BlendWeights;
  /** The model serving each list (the blend unless per-shop selection chose a simpler one). */
  choice: ModelChoice;
  data: Interactions;
  eligible: Uint8Array;
  pop: Popularity;
  /** Popularity scores scaled to max 1 (a blend component). */
  popNorm: Float64Array;
  /**
   * The single models' popularity (the "popularity" model, and the order in which the other single
   * models' zero-score items follow): distinct customers in the last 30 days, ties by all-time
   * customers, scaled to max 1 — the popularity-30d baseline's ranking.
   */
  popWindowNorm: Float64Array;
  repeat: RepeatStats;
  basketNeighbours: NeighbourLists;
  customerNeighbours: NeighbourLists;
  customerEase: EaseModel | null;
  /**
   * Basket-level EASE, fitted on first use (memoised): only basket completion and tuning need it,
   * so `score`'s lists never pay for the ~n³/2 inverse.
   */
  basketEase: () => EaseModel | null;
  /** Max-confidence rules P(j | i) over orders (the "rules" basket model), fitted on first use. */
  basketRules: () => NeighbourLists;
  content: ContentIndex | null;
  /** Eligible items by popularity (unsold catalogue items last, alphabetical). */
  popularOrder: number[];
  /** Reusable item-length score buffers (see ScratchPool). */
  pool: ScratchPool;
}

/**
 * Recycles dense item-length Float64Arrays. Scoring 4k customers allocates ~10 such buffers each;
 * every one is an off-heap ArrayBuffer, and V8 answers that much external memory with full
 * mark-compact collections — which took longer than the scoring itself. Single-threaded and
 * synchronous, so a plain free list is safe; `acquire` always returns a zeroed buffer.
 */
export class ScratchPool {
  private readonly free: Float64Array[] = [];

  constructor(readonly size: number) {}

  acquire(): Float64Array {
    const buffer = this.free.pop();
    if (buffer === undefined) return new Float64Array(this.size);
    buffer.fill(0);
    return buffer;
  }

  release(...buffers: (Float64Array | null)[]): void {
    for (const b of buffers) if (b !== null && b.length === this.size) this.free.push(b);
  }
}

/** Fits all components with the given weights (tuning happens one level up). */
export function fitComponents(orders: Order[], input: RecommenderInput, params: RecommenderParams): Fitted {
  const catalogue = input.products?.map((p) => p.sku) ?? [];
  const data = buildInteractions(orders, input.asOf, catalogue);
  const eligible = eligibilityMask(data.items, input.products, input.filters ?? DEFAULT_FILTERS);
  const pop = popularity(data, params.popularityHalfLifeDays);
  const easeOptions = { lambda: params.easeLambda, maxItems: params.maxEaseItems };
  const useEase = data.baskets.length > 0 && params.maxEaseItems > 0;
  const popNorm = Float64Array.from(pop.scores);
  scaleToUnitMax(popNorm);
  return {
    params,
    weights: params.weights,
    choice: DEFAULT_CHOICE,
    data,
    eligible,
    pop,
    popNorm,
    popWindowNorm: windowPopularity(pop),
    repeat: repeatStats(data),
    basketNeighbours: cooccurrenceNeighbours(data.baskets, data.itemBaskets, {
      k: params.neighbours,
      minSupport: params.minSupport,
      alpha: params.basketAlpha,
      shrinkage: params.basketShrinkage,
    }),
    customerNeighbours: cooccurrenceNeighbours(data.customerItems, data.itemCustomers, {
      k: params.neighbours,
      minSupport: params.minSupport,
      alpha: params.customerAlpha,
      shrinkage: params.customerShrinkage,
    }),
    customerEase: useEase ? fitEase(data.customerItems, data.itemCustomers, easeOptions) : null,
    basketEase: memo(() => (useEase ? fitEase(data.baskets, data.itemBaskets, easeOptions) : null)),
    basketRules: memo(() =>
      cooccurrenceNeighbours(data.baskets, data.itemBaskets, {
        k: Math.max(params.neighbours, 200),
        minSupport: 1,
        alpha: 0, // c / n_i = confidence P(j | i), as the rules baseline
        shrinkage: 0,
      }),
    ),
    content: input.products && input.products.length > 0 ? buildContentIndex(data.items, input.products) : null,
    popularOrder: topK(
      Float64Array.from(pop.scores, (s, i) => (eligible[i] ? s + 1e-9 : 0)),
      data.items.length,
    ),
    pool: new ScratchPool(data.items.length),
  };
}

function windowPopularity(pop: Popularity): Float64Array {
  let maxAll = 0;
  for (const a of pop.allCustomers) if (a > maxAll) maxAll = a;
  const v = Float64Array.from(pop.recentCustomers, (r, i) => r + pop.allCustomers[i] / (maxAll + 1));
  scaleToUnitMax(v);
  return v;
}

function memo<T>(compute: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = compute();
      done = true;
    }
    return value;
  };
}

/** Divides by the maximum so components on different scales can be blended; no-op when max ≤ 0. */
export function scaleToUnitMax(v: Float64Array): void {
  let max = 0;
  for (let j = 0; j < v.length; j++) if (v[j] > max) max = v[j];
  if (max > 0) for (let j = 0; j < v.length; j++) v[j] /= max;
}
