/**
 * A shallow decision tree whose leaves are shown to the merchant as segments ("2–3 purchase days,
 * last order 61–120 days ago: 41 % ordered within 90 days"). Squared-loss splits on the label
 * (variance reduction, CART) with the histogram builder of `trees.ts`; each leaf predicts its
 * Laplace-smoothed purchase rate, so a stored tree is a probability model on its own. It splits
 * only on features with plain-words descriptions, so every leaf reads as a rule.
 */
import { RICH_FEATURES, type FeatureSpec } from "./features";
import { binFeatures, growTree, leafIndex, type TreeNode } from "./trees";

export interface DecisionTree {
  kind: "tree";
  nodes: TreeNode[];
}

export const TREE_DEPTH = 3;
/** Only features a merchant can read as a rule ("last order 61–120 days ago"), not model outputs. */
export const TREE_COLUMNS = RICH_FEATURES.flatMap((f, j) => (f.describe ? [j] : []));

export function fitDecisionTree(X: readonly number[][], y: readonly number[]): DecisionTree {
  const n = X.length;
  const rate = y.reduce((s, v) => s + v, 0) / Math.max(1, n);
  const g = Float64Array.from(y, (v) => rate - v);
  const h = new Float64Array(n).fill(1);
  const nodes = growTree(
    binFeatures(X),
    g,
    h,
    Array.from({ length: n }, (_, i) => i),
    {
      maxDepth: TREE_DEPTH,
      // A segment the merchant can act on: at least 5 % of customers (and 30 people).
      minChildWeight: Math.max(30, Math.ceil(n * 0.05)),
      lambda: 0,
      allowed: TREE_COLUMNS,
      leafValue: (_G, _H, rows) => (rows.reduce((s, i) => s + y[i], 0) + 1) / (rows.length + 2),
    },
  );
  return { kind: "tree", nodes };
}

export function treeProbability(model: DecisionTree, x: readonly number[]): number {
  return model.nodes[leafIndex(model.nodes, x)].v;
}

export interface TreeSegment {
  /** The leaf's conditions in plain words, e.g. "2–3 purchase days, last order 61–120 days ago". */
  rule: string;
  /** Customers in the leaf and how many of them ordered, in the rows the rates are measured on. */
  customers: number;
  ordered: number;
  rate: number;
}

/** One segment per leaf, with rates measured on (X, y) — the training or a later snapshot. */
export function treeSegments(
  model: DecisionTree,
  specs: readonly FeatureSpec[],
  X: readonly number[][],
  y: readonly number[],
): TreeSegment[] {
  const counts = new Map<number, { customers: number; ordered: number }>();
  X.forEach((x, i) => {
    const leaf = leafIndex(model.nodes, x);
    const c = counts.get(leaf) ?? { customers: 0, ordered: 0 };
    c.customers++;
    c.ordered += y[i] > 0 ? 1 : 0;
    counts.set(leaf, c);
  });
  const out: TreeSegment[] = [];
  const walk = (k: number, bounds: Map<number, [number, number]>) => {
    const node = model.nodes[k];
    if (node.f < 0) {
      const c = counts.get(k) ?? { customers: 0, ordered: 0 };
      out.push({ rule: describe(bounds, specs), ...c, rate: c.customers ? c.ordered / c.customers : 0 });
      return;
    }
    const [lo, hi] = bounds.get(node.f) ?? [-Infinity, Infinity];
    walk(node.l, new Map(bounds).set(node.f, [lo, Math.min(hi, node.t)]));
    walk(node.r, new Map(bounds).set(node.f, [Math.max(lo, node.t), hi]));
  };
  walk(0, new Map());
  return out.sort((a, b) => b.rate - a.rate);
}

function describe(bounds: Map<number, [number, number]>, specs: readonly FeatureSpec[]): string {
  if (bounds.size === 0) return "all customers";
  return [...bounds.entries()]
    .sort(([a], [b]) => a - b)
    .map(
      ([f, [lo, hi]]) =>
        specs[f]?.describe?.(lo, hi) ?? `${specs[f]?.name ?? `feature ${f}`} in (${round(lo)}, ${round(hi)}]`,
    )
    .join(", ");
}

const round = (v: number) => (Number.isFinite(v) ? Math.round(v * 100) / 100 : v);
