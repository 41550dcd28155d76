import { buyAgainScores, type BuyAgainEntry } from "./buyAgain";
import { easeScoresInto } from "./ease";
import {
  scaleToUnitMax,
  type BasketModel,
  type BlendWeights,
  type DiscoveryModel,
  type Fitted,
  type ForYouModel,
} from "./fitted";
import { DAY_MS } from "../time";

/** A customer's collaborative components, each scaled to max 1 (dense over all items). */
export interface CustomerComponents {
  customer: number;
  profile: number[];
  /** Recency weight of each profile item. */
  weights: number[];
  ease: Float64Array | null;
  knn: Float64Array;
}

/**
 * EASE and ItemKNN scores for a customer's profile, where each owned item is weighted by the
 * recency of its last purchase (half-life `profileHalfLifeDays`): last month's basket says more
 * about next month than last year's.
 */
export function customerComponents(f: Fitted, c: number): CustomerComponents {
  const { data, params } = f;
  const profile = Array.from(data.customerItems[c]);
  const halfLifeMs = params.profileHalfLifeDays * DAY_MS;
  const weights = profile.map((_, k) => {
    const times = data.customerItemTimes[c][k];
    return Math.pow(0.5, (data.asOf - times[times.length - 1]) / halfLifeMs);
  });
  let ease: Float64Array | null = null;
  if (f.customerEase) {
    ease = f.pool.acquire();
    easeScoresInto(f.customerEase, profile, weights, ease);
    scaleToUnitMax(ease);
  }
  const knn = f.pool.acquire();
  profile.forEach((item, k) => {
    const ids = f.customerNeighbours.ids[item];
    const sims = f.customerNeighbours.scores[item];
    for (let t = 0; t < ids.length; t++) knn[ids[t]] += weights[k] * sims[t];
  });
  scaleToUnitMax(knn);
  return { customer: c, profile, weights, ease, knn };
}

/** Returns a customer's component buffers to the pool. */
export function releaseComponents(
  f: Fitted,
  comp: { ease: Float64Array | null; knn?: Float64Array; cooc?: Float64Array },
): void {
  f.pool.release(comp.ease, comp.knn ?? null, comp.cooc ?? null);
}

/**
 * Weight of popularity added to a single model's scores: far too small to reorder anything the
 * model scored, it only ranks the items the model gives nothing (its padding), like the baselines'.
 */
export const TIE_BREAK = 1e-6;

/** Component weights of a discovery model (the blend's, or one component alone) and its popularity vector. */
export function discoveryMix(
  f: Fitted,
  model: DiscoveryModel,
  w: BlendWeights,
): { ease: number; knn: number; popularity: number; popValues: Float64Array } {
  const hasEase = f.customerEase !== null;
  const single = (ease: number, knn: number, popularity: number) => ({
    ease,
    knn,
    popularity,
    popValues: f.popWindowNorm,
  });
  if (model === "ease" && hasEase) return single(1, 0, TIE_BREAK);
  if (model === "itemknn" || (model === "ease" && !hasEase)) return single(0, 1, TIE_BREAK);
  if (model === "popularity") return single(0, 0, 1);
  return { ease: hasEase ? 1 : 0, knn: hasEase ? w.knn : 1, popularity: w.popularity, popValues: f.popNorm };
}

/** Discovery blend: EASE + w.knn·KNN + w.popularity·popularity (KNN weight 1 when EASE is off). */
export function discoveryScores(
  f: Fitted,
  comp: CustomerComponents,
  w: BlendWeights,
  out: Float64Array = f.pool.acquire(),
  model: DiscoveryModel = "blend",
): Float64Array {
  const n = f.data.items.length;
  const mix = discoveryMix(f, model, w);
  const ease = comp.ease;
  const pop = mix.popValues;
  for (let j = 0; j < n; j++) {
    out[j] = (ease ? mix.ease * ease[j] : 0) + mix.knn * comp.knn[j] + mix.popularity * pop[j];
  }
  return out;
}

/**
 * "For you" = buy-again (owned items, scaled to max 1) + w.forYouDiscovery × discovery (all items,
 * scaled to max 1). A small weight means "own history first, then new items"; a large one lets
 * shop-wide evidence (co-purchase, popularity) reorder even the customer's own items.
 * A single model instead scores with that model alone (repeats allowed); `entries` always holds
 * the buy-again facts of the owned items, for their reasons.
 */
export function forYouScores(
  f: Fitted,
  comp: CustomerComponents,
  w: BlendWeights,
  out?: Float64Array,
  model: ForYouModel = "blend",
): { total: Float64Array; entries: Map<number, BuyAgainEntry> } {
  const list = buyAgainList(f, comp.customer);
  const entries = new Map(list.map((e) => [e.item, e]));
  if (model === "own-top-frequency") return { total: ownTopFrequencyScores(f, list, out), entries };
  if (model !== "blend") return { total: discoveryScores(f, comp, w, out, model), entries };
  const total = discoveryScores(f, comp, w, out);
  scaleToUnitMax(total);
  return { total: forYouBlendInto(total, total, list, w.forYouDiscovery), entries };
}

/**
 * out = forYouDiscovery × discovery (already scaled to max 1) + buy-again scaled to max 1; `out`
 * may be `discovery` itself. Split out so tuning can try many weights on one customer's parts.
 */
export function forYouBlendInto(
  out: Float64Array,
  discovery: Float64Array,
  buyAgain: readonly BuyAgainEntry[],
  forYouDiscovery: number,
): Float64Array {
  for (let j = 0; j < out.length; j++) out[j] = discovery[j] * forYouDiscovery;
  let max = 0;
  for (const e of buyAgain) if (e.score > max) max = e.score;
  for (const e of buyAgain) out[e.item] += (max > 0 ? e.score / max : 0) + 1e-12;
  return out;
}

export function buyAgainList(f: Fitted, customer: number): BuyAgainEntry[] {
  return buyAgainScores(f.data, f.repeat, customer, {
    halfLifeDays: f.params.repeatHalfLifeDays,
    useInterval: f.params.useRepeatInterval,
  });
}

/**
 * The own-top-frequency baseline as a model: owned items by purchase occasions, ties to the more
 * recent (a bonus in (0, 0.5] shrinking with days since the last purchase), then popularity.
 */
export function ownTopFrequencyScores(f: Fitted, list: BuyAgainEntry[], out = f.pool.acquire()): Float64Array {
  const n = f.data.items.length;
  for (let j = 0; j < n; j++) out[j] = TIE_BREAK * f.popWindowNorm[j];
  for (const e of list) out[e.item] += e.occasions + 0.5 * (365 / (365 + e.daysSinceLast));
  return out;
}

/** Basket components, each scaled to max 1: summed co-occurrence similarity and basket-EASE. */
export interface BasketComponents {
  basket: readonly number[];
  cooc: Float64Array;
  ease: Float64Array | null;
}

export function basketComponents(f: Fitted, basket: number[]): BasketComponents {
  const cooc = f.pool.acquire();
  for (const i of basket) {
    const ids = f.basketNeighbours.ids[i];
    const sims = f.basketNeighbours.scores[i];
    for (let t = 0; t < ids.length; t++) cooc[ids[t]] += sims[t];
  }
  scaleToUnitMax(cooc);
  let ease: Float64Array | null = null;
  const basketEase = basket.length > 0 ? f.basketEase() : null;
  if (basketEase) {
    ease = f.pool.acquire();
    easeScoresInto(
      basketEase,
      basket,
      basket.map(() => 1),
      ease,
    );
    scaleToUnitMax(ease);
  }
  return { basket, cooc, ease };
}

/** Basket blend: co-occurrence + w.basketEase·EASE(baskets) + w.basketPopularity·popularity, or one model alone. */
export function basketScores(
  f: Fitted,
  comp: BasketComponents,
  w: BlendWeights,
  out: Float64Array = f.pool.acquire(),
  model: BasketModel = "blend",
): Float64Array {
  const n = f.data.items.length;
  let wCooc = 1;
  let wEase = comp.ease ? w.basketEase : 0;
  let wPop = w.basketPopularity;
  if (model === "cooccurrence" || (model === "ease" && !comp.ease)) [wCooc, wEase, wPop] = [1, 0, TIE_BREAK];
  else if (model === "ease") [wCooc, wEase, wPop] = [0, 1, TIE_BREAK];
  else if (model === "popularity" || model === "rules")
    [wCooc, wEase, wPop] = [0, 0, model === "rules" ? TIE_BREAK : 1];
  const pop = model === "blend" ? f.popNorm : f.popWindowNorm;
  for (let j = 0; j < n; j++) {
    out[j] = wCooc * comp.cooc[j] + (comp.ease ? wEase * comp.ease[j] : 0) + wPop * pop[j];
  }
  return model === "rules" ? addRuleScores(f, comp.basket, out) : out;
}

/** Adds max-confidence rule scores max_{i ∈ basket} P(j | i) into `out` (the "rules" model). */
function addRuleScores(f: Fitted, basket: readonly number[], out: Float64Array): Float64Array {
  const rules = f.basketRules();
  const best = f.pool.acquire();
  for (const i of basket) {
    const ids = rules.ids[i];
    const conf = rules.scores[i];
    for (let t = 0; t < ids.length; t++) if (conf[t] > best[ids[t]]) best[ids[t]] = conf[t];
  }
  for (let j = 0; j < out.length; j++) out[j] += best[j];
  f.pool.release(best);
  return out;
}
