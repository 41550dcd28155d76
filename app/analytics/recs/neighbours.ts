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
  const touchedBuffer = new Int32Array(n);
  const out: NeighbourLists = { ids: [], scores: [], counts: [] };
  // n^(1−α) and n^α per item, computed once instead of twice per co-occurring pair (the pair loop
  // is the hot spot; the products are bit-identical to `similarity`).
  const powLeft = new Float64Array(n);
  const powRight = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    powLeft[i] = Math.pow(itemRows[i].length, 1 - opts.alpha);
    powRight[i] = Math.pow(itemRows[i].length, opts.alpha);
  }
  for (let i = 0; i < n; i++) {
    let touchedCount = 0;
    const myRows = itemRows[i];
    for (let a = 0; a < myRows.length; a++) {
      const row = rows[myRows[a]];
      for (let b = 0; b < row.length; b++) {
        const j = row[b];
        if (j === i) continue;
        if (counts[j] === 0) touchedBuffer[touchedCount++] = j;
        counts[j]++;
      }
    }
    const touched = touchedBuffer.subarray(0, touchedCount);
    const left = powLeft[i];
    for (let t = 0; t < touchedCount; t++) {
      const j = touched[t];
      const c = counts[j];
      scores[j] = c < opts.minSupport ? 0 : (c / (left * powRight[j])) * (c / (c + opts.shrinkage));
    }
    const best = topK(scores, opts.k, undefined, touched);
    out.ids.push(Int32Array.from(best));
    out.scores.push(Float64Array.from(best, (j) => scores[j]));
    out.counts.push(Int32Array.from(best, (j) => counts[j]));
    for (let t = 0; t < touchedCount; t++) {
      counts[touched[t]] = 0;
      scores[touched[t]] = 0;
    }
  }
  return out;
}

/** The shrunk asymmetric cosine described in `SimilarityOptions`. */
export function similarity(c: number, ni: number, nj: number, opts: SimilarityOptions): number {
  return (c / (Math.pow(ni, 1 - opts.alpha) * Math.pow(nj, opts.alpha))) * (c / (c + opts.shrinkage));
}
