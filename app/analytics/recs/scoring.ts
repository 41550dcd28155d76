import { buyAgainScores, type BuyAgainEntry } from "./buyAgain";
import { easeScoresInto } from "./ease";
import { scaleToUnitMax, type BlendWeights, type Fitted } from "./fitted";
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

/** Discovery blend: EASE + w.knn·KNN + w.popularity·popularity (KNN weight 1 when EASE is off). */
export function discoveryScores(
  f: Fitted,
  comp: CustomerComponents,
  w: BlendWeights,
  out: Float64Array = f.pool.acquire(),
): Float64Array {
  const n = f.data.items.length;
  const knnWeight = comp.ease ? w.knn : 1;
  for (let j = 0; j < n; j++) {
    out[j] = (comp.ease ? comp.ease[j] : 0) + knnWeight * comp.knn[j] + w.popularity * f.popNorm[j];
  }
  return out;
}

/**
 * "For you" = buy-again (owned items, scaled to max 1) + w.forYouDiscovery × discovery (all items,
 * scaled to max 1). A small weight means "own history first, then new items"; a large one lets
 * shop-wide evidence (co-purchase, popularity) reorder even the customer's own items.
 */
export function forYouScores(
  f: Fitted,
  comp: CustomerComponents,
  w: BlendWeights,
  out?: Float64Array,
): { total: Float64Array; entries: Map<number, BuyAgainEntry> } {
  const total = discoveryScores(f, comp, w, out);
  scaleToUnitMax(total);
  for (let j = 0; j < total.length; j++) total[j] *= w.forYouDiscovery;
  const list = buyAgainScores(f.data, f.repeat, comp.customer, {
    halfLifeDays: f.params.repeatHalfLifeDays,
    useInterval: f.params.useRepeatInterval,
  });
  let max = 0;
  for (const e of list) if (e.score > max) max = e.score;
  for (const e of list) total[e.item] += (max > 0 ? e.score / max : 0) + 1e-12;
  return { total, entries: new Map(list.map((e) => [e.item, e])) };
}

/** Basket components, each scaled to max 1: summed co-occurrence similarity and basket-EASE. */
export function basketComponents(f: Fitted, basket: number[]): { cooc: Float64Array; ease: Float64Array | null } {
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
  return { cooc, ease };
}

export function basketScores(
  f: Fitted,
  comp: { cooc: Float64Array; ease: Float64Array | null },
  w: BlendWeights,
  out: Float64Array = f.pool.acquire(),
): Float64Array {
  const n = f.data.items.length;
  for (let j = 0; j < n; j++) {
    out[j] = comp.cooc[j] + (comp.ease ? w.basketEase * comp.ease[j] : 0) + w.basketPopularity * f.popNorm[j];
  }
  return out;
}
