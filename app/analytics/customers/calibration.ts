/**
 * Probability calibration of a propensity score and the reliability table the admin shows.
 * Platt scaling (a logistic regression on the score's log-odds) or isotonic regression
 * (pool-adjacent-violators, Zadrozny & Elkan 2002); both are plain JSON so a stored model can be
 * applied to one customer.
 */
import { fitLogistic } from "./logistic";
import { sigmoid } from "./special";

export interface PlattScaling {
  intercept: number;
  slope: number;
}

export type Calibration =
  | ({ kind: "platt" } & PlattScaling)
  /** Step function: scores ≤ x[0] → y[0], between knots linear, above x[last] → y[last]. */
  | { kind: "isotonic"; x: number[]; y: number[] };

export function fitPlatt(scores: readonly number[], labels: readonly number[]): PlattScaling {
  const m = fitLogistic(
    scores.map((s) => [s]),
    labels,
    { l2: 1e-3 },
  );
  return { intercept: m.intercept, slope: m.coefficients[0] };
}

export function applyPlatt(p: PlattScaling, score: number): number {
  return sigmoid(p.intercept + p.slope * score);
}

/**
 * Isotonic fit of labels on scores. Blocks are pooled until rates are non-decreasing; each block
 * becomes a knot at its mean score, probabilities clamped to [0.001, 0.999] (a block of all
 * non-buyers must not promise certainty to a future customer).
 */
export function fitIsotonic(scores: readonly number[], labels: readonly number[]): { x: number[]; y: number[] } {
  const order = scores.map((_, i) => i).sort((a, b) => scores[a] - scores[b]);
  const blocks: { sx: number; sy: number; n: number }[] = [];
  for (const i of order) {
    blocks.push({ sx: scores[i], sy: labels[i] > 0 ? 1 : 0, n: 1 });
    while (blocks.length > 1) {
      const b = blocks[blocks.length - 1];
      const a = blocks[blocks.length - 2];
      if (a.sy / a.n < b.sy / b.n) break;
      blocks.splice(blocks.length - 2, 2, { sx: a.sx + b.sx, sy: a.sy + b.sy, n: a.n + b.n });
    }
  }
  return {
    x: blocks.map((b) => b.sx / b.n),
    y: blocks.map((b) => Math.min(0.999, Math.max(0.001, b.sy / b.n))),
  };
}

function applyIsotonic(c: { x: number[]; y: number[] }, score: number): number {
  const { x, y } = c;
  if (x.length === 0) return 0.5;
  if (score <= x[0]) return y[0];
  if (score >= x[x.length - 1]) return y[y.length - 1];
  let lo = 0;
  let hi = x.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid] <= score) lo = mid;
    else hi = mid;
  }
  const w = (score - x[lo]) / (x[hi] - x[lo] || 1);
  return y[lo] + w * (y[hi] - y[lo]);
}

export function fitCalibration(
  kind: Calibration["kind"],
  scores: readonly number[],
  labels: readonly number[],
): Calibration {
  return kind === "platt" ? { kind, ...fitPlatt(scores, labels) } : { kind, ...fitIsotonic(scores, labels) };
}

export function applyCalibration(c: Calibration, score: number): number {
  return c.kind === "platt" ? applyPlatt(c, score) : applyIsotonic(c, score);
}

export interface ReliabilityRow {
  /** Decile 1 = the tenth of customers with the lowest predictions. */
  decile: number;
  customers: number;
  meanPredicted: number;
  actualRate: number;
}

/** Predicted vs actual purchase rate by decile of the prediction (ties stay in one decile's order). */
export function reliabilityTable(predictions: readonly number[], labels: readonly number[]): ReliabilityRow[] {
  const n = predictions.length;
  const order = predictions.map((_, i) => i).sort((a, b) => predictions[a] - predictions[b] || a - b);
  const rows: ReliabilityRow[] = [];
  for (let d = 0; d < 10; d++) {
    const members = order.slice(Math.floor((d * n) / 10), Math.floor(((d + 1) * n) / 10));
    if (members.length === 0) continue;
    const round = (v: number) => Math.round(v * 10000) / 10000;
    rows.push({
      decile: d + 1,
      customers: members.length,
      meanPredicted: round(members.reduce((s, i) => s + predictions[i], 0) / members.length),
      actualRate: round(members.reduce((s, i) => s + (labels[i] > 0 ? 1 : 0), 0) / members.length),
    });
  }
  return rows;
}
