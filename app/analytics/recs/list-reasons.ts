/**
 * The "why" line of a recommendation: which owned or basket item pointed to it, with exact counts
 * of customers or baskets that had both. Split out of recommender.ts, which assembles the lists.
 */
import type { Fitted } from "./fitted";
import { intersectionSize } from "./interactions";
import type { NeighbourLists } from "./neighbours";
import { alsoBoughtReason, boughtTogetherReason, popularReason } from "./reasons";

/** Popularity reason when popularity made up most of the score, else the collaborative one. */
export function customerReason(
  f: Fitted,
  j: number,
  profile: number[],
  weights: number[],
  total: number,
  popularity: { popularity: number; popValues: Float64Array } = {
    popularity: f.weights.popularity,
    popValues: f.popNorm,
  },
): string {
  const popularPart = popularity.popularity * popularity.popValues[j];
  if (popularPart >= total / 2) return popularReason(f.pop.recentCustomers[j], f.pop.windowDays, f.pop.allCustomers[j]);
  return collaborativeReason(f, j, profile, weights);
}

/**
 * Names the owned item that contributed most to recommending `j`, with the exact number of
 * customers who bought both.
 */
export function collaborativeReason(f: Fitted, j: number, profile: number[], weights: number[]): string {
  const { data } = f;
  let best = -1;
  let bestContribution = -Infinity;
  profile.forEach((i, k) => {
    const contribution = weights[k] * pairStrength(f, i, j);
    if (contribution > bestContribution) {
      bestContribution = contribution;
      best = i;
    }
  });
  if (best < 0) return popularReason(f.pop.recentCustomers[j], f.pop.windowDays, f.pop.allCustomers[j]);
  const both = coCount(f.customerNeighbours, data.itemCustomers, best, j);
  if (both === 0) return `customers with baskets like yours bought this`;
  return alsoBoughtReason(data.items[best], both, data.itemCustomers[best].length);
}

/** How strongly owning i points to j: EASE weight when both are modelled, else neighbour similarity. */
export function pairStrength(f: Fitted, i: number, j: number): number {
  const ease = f.customerEase;
  if (ease && ease.localIndex[i] >= 0 && ease.localIndex[j] >= 0) {
    const m = ease.itemIds.length;
    return ease.weights[ease.localIndex[i] * m + ease.localIndex[j]];
  }
  const ids = f.customerNeighbours.ids[i];
  for (let t = 0; t < ids.length; t++) if (ids[t] === j) return f.customerNeighbours.scores[i][t];
  return 0;
}

/** The basket item most often bought together with j, with exact counts. */
export function basketReason(f: Fitted, j: number, basket: number[]): string {
  const { data } = f;
  let best = -1;
  let bestTogether = 0;
  for (const i of basket) {
    const together = coCount(f.basketNeighbours, data.itemBaskets, i, j);
    if (together > bestTogether) {
      bestTogether = together;
      best = i;
    }
  }
  if (best < 0) return `often bought by customers with baskets like this`;
  return boughtTogetherReason(data.items[best], bestTogether, data.itemBaskets[best].length);
}

/**
 * Exact number of rows (orders or customers) containing both i and j: read from i's neighbour
 * list when j is in it (the stored counts are complete), else by intersecting the sorted row lists.
 */
export function coCount(lists: NeighbourLists, rows: Int32Array[], i: number, j: number): number {
  const ids = lists.ids[i];
  for (let t = 0; t < ids.length; t++) if (ids[t] === j) return lists.counts[i][t];
  return intersectionSize(rows[i], rows[j]);
}
