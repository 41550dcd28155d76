/**
 * The propensity candidates a shop's temporal backtest chooses between (D34), simplest first, and
 * the one pure `rawScore(params, features)` that scores a stored model. Every model is plain JSON:
 * coefficients as numbers, trees as node arrays.
 */
import { boostedScore, fitBoostedTrees, type BoostedTrees } from "./gbm";
import { RFM_FEATURES, RICH_FEATURES } from "./features";
import { fitLogistic, standardization } from "./logistic";
import { logit } from "./special";
import { fitDecisionTree, treeProbability, type DecisionTree } from "./tree";

export interface LogisticParams {
  kind: "logistic";
  /** Feature columns used, indexes into RICH_FEATURES. */
  columns: number[];
  means: number[];
  sds: number[];
  intercept: number;
  coefficients: number[];
}

export type PropensityParams =
  | { kind: "bgnbd" }
  | LogisticParams
  | DecisionTree
  | BoostedTrees
  /** Mean of the parts' log-odds. */
  | { kind: "blend"; parts: PropensityParams[] };

/** Column of RICH_FEATURES holding logit(BG/NBD P(order within the window)). */
const BGNBD_COLUMN = RICH_FEATURES.length - 1;
export const CANDIDATE_L2 = 1;

function fitLogisticOn(columns: number[], X: readonly number[][], y: readonly number[]): LogisticParams {
  const sub = X.map((r) => columns.map((j) => r[j]));
  const scale = standardization(sub);
  const z = sub.map((r) => r.map((v, j) => (v - scale.means[j]) / scale.sds[j]));
  const m = fitLogistic(z, y, { l2: CANDIDATE_L2 });
  return { kind: "logistic", columns, ...scale, intercept: m.intercept, coefficients: m.coefficients };
}

const ALL_COLUMNS = RICH_FEATURES.map((_, j) => j);

/**
 * Fits keyed by the training rows' identity: the blend is the logistic and boosted fits on the
 * same rows, so when the selection has already fitted both on that array they are reused (the
 * fits are deterministic, so this changes no number, only the time).
 */
const fits = new WeakMap<readonly number[][], { y: readonly number[]; byName: Map<string, PropensityParams> }>();
function memoFit(
  name: string,
  X: readonly number[][],
  y: readonly number[],
  fit: () => PropensityParams,
): PropensityParams {
  let entry = fits.get(X);
  if (!entry || entry.y !== y) fits.set(X, (entry = { y, byName: new Map() }));
  let params = entry.byName.get(name);
  if (!params) entry.byName.set(name, (params = fit()));
  return params;
}

const fitRich = (X: readonly number[][], y: readonly number[]) =>
  memoFit("logistic", X, y, () => fitLogisticOn(ALL_COLUMNS, X, y));
const fitGbm = (X: readonly number[][], y: readonly number[]) => memoFit("gbm", X, y, () => fitBoostedTrees(X, y));

export interface Candidate {
  name: string;
  /** One line for the admin and model.json. */
  description: string;
  fit(X: readonly number[][], y: readonly number[]): PropensityParams;
}

/** Simplest first: the selection serves the first one not significantly worse than the best. */
export const CANDIDATES: readonly Candidate[] = [
  { name: "bgnbd", description: "BG/NBD P(order in window), label-free", fit: () => ({ kind: "bgnbd" }) },
  {
    name: "logistic-rfm",
    description: "logistic regression on log recency, frequency, spend, tenure",
    fit: (X, y) => fitLogisticOn(RFM_FEATURES, X, y),
  },
  { name: "tree", description: `decision tree, depth 3 (its leaves are the segments shown)`, fit: fitDecisionTree },
  {
    name: "logistic",
    description: `logistic regression on ${RICH_FEATURES.length} features (rhythm, trends, recent activity, season, BG/NBD)`,
    fit: fitRich,
  },
  { name: "gbm", description: "gradient-boosted trees (120 × depth 3) on the same features", fit: fitGbm },
  {
    name: "blend",
    description: "mean log-odds of the logistic regression and the boosted trees",
    fit: (X, y) => ({ kind: "blend", parts: [fitRich(X, y), fitGbm(X, y)] }),
  },
];

/** Log-odds score of one customer's feature row under stored parameters (before calibration). */
export function rawScore(params: PropensityParams, x: readonly number[]): number {
  switch (params.kind) {
    case "bgnbd":
      return x[BGNBD_COLUMN];
    case "logistic": {
      let eta = params.intercept;
      params.columns.forEach(
        (col, j) => (eta += params.coefficients[j] * ((x[col] - params.means[j]) / params.sds[j])),
      );
      return eta;
    }
    case "tree":
      return logit(treeProbability(params, x));
    case "gbm":
      return boostedScore(params, x);
    case "blend":
      return params.parts.reduce((s, p) => s + rawScore(p, x), 0) / Math.max(1, params.parts.length);
  }
}
