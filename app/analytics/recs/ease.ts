import { invertSpd } from "./linalg-blocked";

/**
 * EASE (Steck 2019): a shallow linear item-item autoencoder with a closed form,
 *   P = (XᵀX + λI)⁻¹,  B = I − P·diag(1/diag(P))  (so B[j][j] = 0, B[i][j] = −P[i][j]/P[j][j]).
 * A customer's scores are x·B. Dense and cubic in the item count, so it is fitted on the
 * `maxItems` items with the most rows (customers/orders); rarer items fall back to the sparse
 * neighbour models. The row-blocked inverse (linalg-blocked.ts, D32) costs about what the old one
 * did at 1,000 items when fitting 1,200, hence the default cap; timings in docs/engine.md.
 */
export interface EaseModel {
  /** Global item ids of the modelled items; local index = position. */
  itemIds: Int32Array;
  /** Global item id → local index, −1 when not modelled. */
  localIndex: Int32Array;
  /** Row-major weights, size m×m; row i = how much owning item i raises each other item. */
  weights: Float64Array;
  lambda: number;
  /** Scratch accumulator reused by `easeScoresInto` (single-threaded). */
  scratch: Float64Array;
}

export interface EaseOptions {
  lambda: number;
  maxItems: number;
  /**
   * Invert in Float32 storage (accumulation stays double). Off in the engine: measured in
   * bench/linalg.bench.ts, it saves little CPU once the inverse is row-blocked (docs/engine.md).
   */
  float32?: boolean;
}

/** Fits EASE on binary rows (distinct items per customer or per order). */
export function fitEase(rows: Int32Array[], itemRows: Int32Array[], opts: EaseOptions): EaseModel {
  const itemIds = mostFrequentItems(itemRows, opts.maxItems);
  const m = itemIds.length;
  const localIndex = new Int32Array(itemRows.length).fill(-1);
  itemIds.forEach((item, local) => (localIndex[item] = local));

  const gram = new Float64Array(m * m);
  const local: number[] = [];
  for (const row of rows) {
    local.length = 0;
    for (const i of row) if (localIndex[i] >= 0) local.push(localIndex[i]);
    for (const a of local) {
      const base = a * m;
      for (const b of local) gram[base + b] += 1;
    }
  }
  for (let i = 0; i < m; i++) gram[i * m + i] += opts.lambda;
  const p = opts.float32 ? Float64Array.from(invertSpd(Float32Array.from(gram), m)) : invertSpd(gram, m);
  // B = I − P·diag(1/diag(P)): column j divided by P[j][j], negated, zero diagonal.
  const invDiag = new Float64Array(m);
  for (let j = 0; j < m; j++) invDiag[j] = 1 / p[j * m + j];
  for (let i = 0; i < m; i++) {
    const base = i * m;
    for (let j = 0; j < m; j++) p[base + j] = i === j ? 0 : -p[base + j] * invDiag[j];
  }
  return { itemIds, localIndex, weights: p, lambda: opts.lambda, scratch: new Float64Array(m) };
}

/**
 * Adds Σ_i w_i·B[i][·] into `scores` (global item space) for a weighted profile of global items.
 * Items outside the model contribute nothing and receive nothing.
 */
export function easeScoresInto(
  model: EaseModel,
  profile: readonly number[],
  weights: readonly number[],
  scores: Float64Array,
): void {
  const m = model.itemIds.length;
  const acc = model.scratch;
  acc.fill(0);
  profile.forEach((item, k) => {
    const local = model.localIndex[item];
    if (local < 0) return;
    const w = weights[k];
    const base = local * m;
    for (let j = 0; j < m; j++) acc[j] += w * model.weights[base + j];
  });
  for (let j = 0; j < m; j++) scores[model.itemIds[j]] += acc[j];
}

/** The (≤ max) items with the most rows; ties broken by lower id for determinism. */
function mostFrequentItems(itemRows: Int32Array[], max: number): Int32Array {
  const ids = itemRows.map((_, i) => i).filter((i) => itemRows[i].length > 0);
  ids.sort((x, y) => itemRows[y].length - itemRows[x].length || x - y);
  return Int32Array.from(ids.slice(0, max).sort((x, y) => x - y));
}
