/**
 * Histogram regression trees, the one tree builder behind the decision-tree segments (`tree.ts`)
 * and the gradient-boosted ensemble (`gbm.ts`). Each feature is cut at up to `MAX_BINS − 1`
 * quantile thresholds of the training rows; a split is searched over those cuts only, so growing a
 * level costs one pass over rows × features (LightGBM-style histograms, Ke et al. 2017). Nodes store
 * the raw threshold (`x[f] <= t` goes left), so a stored tree predicts from plain feature values
 * without the bins — the thresholds are fitted parameters, not a function of other customers.
 */

/** One node; a leaf has `f = -1` and its prediction in `v`. Children are indexes into the array. */
export interface TreeNode {
  f: number;
  t: number;
  l: number;
  r: number;
  v: number;
}

export const MAX_BINS = 32;

export interface BinnedFeatures {
  /** Ascending thresholds per feature (bin b ⇔ x ≤ thresholds[b], last bin above all). */
  thresholds: number[][];
  /** Row-major bin index per row and feature. */
  bins: Uint8Array;
  rows: number;
  features: number;
}

/** Quantile cut points per feature over the training rows (distinct values only). */
export function binFeatures(X: readonly number[][]): BinnedFeatures {
  const rows = X.length;
  const features = rows ? X[0].length : 0;
  const thresholds: number[][] = [];
  for (let j = 0; j < features; j++) {
    const values = X.map((r) => r[j]).sort((a, b) => a - b);
    const cuts: number[] = [];
    for (let b = 1; b < MAX_BINS; b++) {
      const v = values[Math.min(rows - 1, Math.floor((b * rows) / MAX_BINS))];
      // A cut at the maximum would leave an empty right side.
      if (v < values[rows - 1] && (cuts.length === 0 || v > cuts[cuts.length - 1])) cuts.push(v);
    }
    thresholds.push(cuts);
  }
  const bins = new Uint8Array(rows * features);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < features; j++) bins[i * features + j] = binOf(thresholds[j], X[i][j]);
  return { thresholds, bins, rows, features };
}

function binOf(cuts: readonly number[], x: number): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x <= cuts[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export interface GrowOptions {
  maxDepth: number;
  /** Minimum summed hessian (rows, for squared loss) in each child. */
  minChildWeight: number;
  /** L2 penalty on leaf values (XGBoost's λ). */
  lambda: number;
  /** Feature columns a split may use (default all). */
  allowed?: readonly number[];
  /** Leaf value from the node's gradient sums; default the Newton step −G/(H + λ). */
  leafValue?: (g: number, h: number, rows: number[]) => number;
}

/**
 * Grows one tree on gradients g and hessians h (second-order split gain, Chen & Guestrin 2016):
 * gain = G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ). Ties keep the first feature and lowest cut, so
 * the same data always gives the same tree.
 */
export function growTree(
  data: BinnedFeatures,
  g: Float64Array,
  h: Float64Array,
  rows: number[],
  opts: GrowOptions,
): TreeNode[] {
  const nodes: TreeNode[] = [];
  const leaf = opts.leafValue ?? ((G: number, H: number) => -G / (H + opts.lambda));
  // A child's histogram is built only for the smaller child; the larger one is parent − smaller
  // (LightGBM's subtraction trick), which roughly halves the passes over rows below the root.
  const grow = (members: number[], depth: number, own: Histogram | null): number => {
    const index = nodes.length;
    let G = 0;
    let H = 0;
    for (const i of members) {
      G += g[i];
      H += h[i];
    }
    nodes.push({ f: -1, t: 0, l: -1, r: -1, v: leaf(G, H, members) });
    if (depth >= opts.maxDepth || H < 2 * opts.minChildWeight) return index;
    const hist = own ?? histogram(data, g, h, members);
    const split = bestSplit(data, hist, G, H, opts);
    if (!split) return index;
    const left: number[] = [];
    const right: number[] = [];
    for (const i of members) (data.bins[i * data.features + split.f] <= split.bin ? left : right).push(i);
    let leftHist: Histogram | null = null;
    let rightHist: Histogram | null = null;
    if (depth + 1 < opts.maxDepth) {
      const leftSmaller = left.length <= right.length;
      const small = histogram(data, g, h, leftSmaller ? left : right);
      const large = subtract(hist, small);
      [leftHist, rightHist] = leftSmaller ? [small, large] : [large, small];
    }
    const node = nodes[index];
    node.f = split.f;
    node.t = data.thresholds[split.f][split.bin];
    node.l = grow(left, depth + 1, leftHist);
    node.r = grow(right, depth + 1, rightHist);
    return index;
  };
  grow(rows, 0, null);
  return nodes;
}

interface Histogram {
  g: Float64Array;
  h: Float64Array;
}

function histogram(data: BinnedFeatures, g: Float64Array, h: Float64Array, members: number[]): Histogram {
  const { features, bins } = data;
  const gHist = new Float64Array(features * MAX_BINS);
  const hHist = new Float64Array(features * MAX_BINS);
  for (const i of members) {
    const base = i * features;
    const gi = g[i];
    const hi = h[i];
    for (let j = 0; j < features; j++) {
      const k = j * MAX_BINS + bins[base + j];
      gHist[k] += gi;
      hHist[k] += hi;
    }
  }
  return { g: gHist, h: hHist };
}

function subtract(parent: Histogram, child: Histogram): Histogram {
  const g = new Float64Array(parent.g.length);
  const h = new Float64Array(parent.h.length);
  for (let k = 0; k < g.length; k++) {
    g[k] = parent.g[k] - child.g[k];
    h[k] = parent.h[k] - child.h[k];
  }
  return { g, h };
}

function bestSplit(
  data: BinnedFeatures,
  hist: Histogram,
  G: number,
  H: number,
  opts: GrowOptions,
): { f: number; bin: number } | null {
  const { features, thresholds } = data;
  const parent = (G * G) / (H + opts.lambda);
  let best: { f: number; bin: number } | null = null;
  let bestGain = 1e-9;
  for (const j of opts.allowed ?? Array.from({ length: features }, (_, k) => k)) {
    let gl = 0;
    let hl = 0;
    for (let b = 0; b < thresholds[j].length; b++) {
      gl += hist.g[j * MAX_BINS + b];
      hl += hist.h[j * MAX_BINS + b];
      const hr = H - hl;
      if (hl < opts.minChildWeight || hr < opts.minChildWeight) continue;
      const gr = G - gl;
      const gain = (gl * gl) / (hl + opts.lambda) + (gr * gr) / (hr + opts.lambda) - parent;
      if (gain > bestGain) {
        bestGain = gain;
        best = { f: j, bin: b };
      }
    }
  }
  return best;
}

/** The leaf a feature row falls into (its index in the node array). */
export function leafIndex(nodes: readonly TreeNode[], x: readonly number[]): number {
  let k = 0;
  while (nodes[k].f >= 0) k = x[nodes[k].f] <= nodes[k].t ? nodes[k].l : nodes[k].r;
  return k;
}

export function predictTree(nodes: readonly TreeNode[], x: readonly number[]): number {
  return nodes[leafIndex(nodes, x)].v;
}
