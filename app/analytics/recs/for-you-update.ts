/**
 * "For you" of one customer after a new order, without refitting the recommender (D36). The full
 * run ranks every item for every customer (buy-again + discovery, docs/engine.md); here the run's
 * own product lists stand in for the item–item model: each product bought since the run brings
 * its stored "also bought" / "bought together" neighbours, added to the run's list for the
 * customer. Approximates what the next refit will rank, not the refit itself: the buy-again terms
 * and per-customer weights of the full model are not recomputed. Pure.
 */

export interface ScoredItem {
  gid: string;
  score: number;
  reason: string;
}

export interface ForYouUpdateInput {
  /** The run's for-you list of the customer (empty for a customer new since the run). */
  previous: readonly ScoredItem[];
  /** Products bought since the run, newest first. */
  newlyBought: readonly string[];
  /** Stored neighbour lists (ALSO_BOUGHT, BOUGHT_TOGETHER) by product, best first. */
  neighbours: ReadonlyMap<string, readonly ScoredItem[]>;
  k: number;
}

/** Weight of the newest purchase's neighbours; older ones of the same update count less. */
const DECAY = 0.7;

/**
 * Previous scores plus neighbour scores of the new purchases; the products just bought are not
 * pushed (they come back through buy-again at the refit if the shop's customers re-order them).
 * Scores are rank-based like the stored lists (1 for the first item, falling linearly).
 */
export function updateForYou(input: ForYouUpdateInput): ScoredItem[] {
  if (input.newlyBought.length === 0) return input.previous.slice(0, input.k);
  const just = new Set(input.newlyBought);
  const merged = new Map<string, { score: number; reason: string }>();
  for (const item of input.previous) merged.set(item.gid, { score: item.score, reason: item.reason });
  input.newlyBought.forEach((product, i) => {
    const weight = DECAY ** i;
    for (const item of input.neighbours.get(product) ?? []) {
      if (just.has(item.gid)) continue;
      const prior = merged.get(item.gid);
      const added = weight * item.score;
      // The reason follows the larger contribution: a new neighbour explains itself by its pair.
      if (!prior) merged.set(item.gid, { score: added, reason: item.reason });
      else
        merged.set(item.gid, { score: prior.score + added, reason: added > prior.score ? item.reason : prior.reason });
    }
  });
  const ranked = [...merged.entries()]
    .sort((p, q) => q[1].score - p[1].score || (p[0] < q[0] ? -1 : 1))
    .slice(0, input.k);
  return ranked.map(([gid, v], i) => ({ gid, score: 1 - i / ranked.length, reason: v.reason }));
}
