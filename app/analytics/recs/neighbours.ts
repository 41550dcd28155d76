import { topK } from "./topk";

/** Sparse top-k neighbour lists per item: ids, similarity scores and raw co-occurrence counts. */
export interface NeighbourLists {
  ids: Int32Array[];
  scores: Float64Array[];
  counts: Int32Array[];
}

/** How a co-occurrence count c_ij and the supports n_i, n_j become a similarity. */
export interface SimilarityOptions {
  /** Neighbours kept per item. */
  k: number;
  /** Pairs seen together fewer times than this are ignored (noise at small shops). */
  minSupport: number;
  /**
   * Asymmetric cosine exponent α: sim = c / (n_i^(1−α) · n_j^α). α = 0.5 is cosine; α → 0 tends to
   * confidence P(j|i) (favours bestsellers), α → 1 favours niche items.
   */
  alpha: number;
  /** Shrinkage β: sim × c/(c+β) so that 2-of-3 co-occurrences don't outrank 40-of-100. */
  shrinkage: number;
}

/**
 * Co-occurrence neighbours from row sets (rows = orders for "bought together", customers for
 * "also bought" and ItemKNN). For each item we scatter the rows containing it into a dense counter
 * (Σ_rows |row|² work, typed arrays only), then keep the top k by the shrunk similarity.
 */
export function cooccurrenceNeighbours(
  rows: Int32Array[],
  itemRows: Int32Array[],
  opts: SimilarityOptions,
): NeighbourLists {
  const n = itemRows.length;
  const counts = new Float64Array(n);
  const scores = new Float64Array(n);
  const touched: number[] = [];
  const out: NeighbourLists = { ids: [], scores: [], counts: [] };
  for (let i = 0; i < n; i++) {
    touched.length = 0;
    for (const r of itemRows[i]) {
      for (const j of rows[r]) {
        if (j === i) continue;
        if (counts[j] === 0) touched.push(j);
        counts[j]++;
      }
    }
    const ni = itemRows[i].length;
    for (const j of touched) {
      const c = counts[j];
      scores[j] = c < opts.minSupport ? 0 : similarity(c, ni, itemRows[j].length, opts);
    }
    const best = topK(scores, opts.k, undefined, touched);
    out.ids.push(Int32Array.from(best));
    out.scores.push(Float64Array.from(best, (j) => scores[j]));
    out.counts.push(Int32Array.from(best, (j) => counts[j]));
    for (const j of touched) {
      counts[j] = 0;
      scores[j] = 0;
    }
  }
  return out;
}

/** The shrunk asymmetric cosine described in `SimilarityOptions`. */
export function similarity(c: number, ni: number, nj: number, opts: SimilarityOptions): number {
  return (c / (Math.pow(ni, 1 - opts.alpha) * Math.pow(nj, opts.alpha))) * (c / (c + opts.shrinkage));
}
