/**
 * Gradient-boosted trees for P(order within the horizon): logistic loss, shallow histogram trees
 * (`trees.ts`), shrinkage. Fixed, conservative settings rather than per-shop tuning: the temporal
 * backtest in `model-selection.ts` decides whether the ensemble earns its place against the
 * logistic models at all, and it only does when it is clearly better (D34).
 */
import { binFeatures, growTree, predictTree, type TreeNode } from "./trees";
import { logit, sigmoid } from "./special";

export interface BoostedTrees {
  kind: "gbm";
  /** Log-odds of the training base rate, the ensemble's starting point. */
  base: number;
  rate: number;
  trees: TreeNode[][];
}

export const GBM_SETTINGS = { trees: 120, rate: 0.08, maxDepth: 3, lambda: 5 } as const;

/**
 * Minimum hessian per leaf grows with the shop (≈ 1 % of rows, at least 5 — at p ≈ 0.3 a hessian
 * of 5 is about 25 customers), so small shops get coarse trees instead of memorised ones.
 */
function minChildWeight(rows: number): number {
  return Math.max(5, rows * 0.01 * 0.2);
}

export function fitBoostedTrees(X: readonly number[][], y: readonly number[]): BoostedTrees {
  const n = X.length;
  const rate0 = Math.min(1 - 1e-6, Math.max(1e-6, y.reduce((s, v) => s + v, 0) / Math.max(1, n)));
  const base = logit(rate0);
  const data = binFeatures(X);
  const margin = new Float64Array(n).fill(base);
  const g = new Float64Array(n);
  const h = new Float64Array(n);
  const rows = Array.from({ length: n }, (_, i) => i);
  const trees: TreeNode[][] = [];
  const opts = { maxDepth: GBM_SETTINGS.maxDepth, minChildWeight: minChildWeight(n), lambda: GBM_SETTINGS.lambda };
  for (let t = 0; t < GBM_SETTINGS.trees; t++) {
    for (let i = 0; i < n; i++) {
      const p = sigmoid(margin[i]);
      g[i] = p - y[i];
      h[i] = Math.max(1e-6, p * (1 - p));
    }
    const tree = growTree(data, g, h, rows, opts);
    for (const node of tree) node.v *= GBM_SETTINGS.rate;
    for (let i = 0; i < n; i++) margin[i] += predictTree(tree, X[i]);
    trees.push(tree);
  }
  return { kind: "gbm", base, rate: GBM_SETTINGS.rate, trees };
}

/** Log-odds score of one feature row (the shrinkage is already folded into the leaf values). */
export function boostedScore(model: BoostedTrees, x: readonly number[]): number {
  let s = model.base;
  for (const tree of model.trees) s += predictTree(tree, x);
  return s;
}
