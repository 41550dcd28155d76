/** Ranking and calibration metrics for the churn/propensity backtest (docs/contracts.md §5). */
import { mean } from "../stats";

/**
 * ROC AUC = P(score of a random positive > score of a random negative), ties counting ½
 * (Mann–Whitney U with mid-ranks). NaN when either class is absent.
 */
export function auc(scores: readonly number[], labels: readonly number[]): number {
  const n = scores.length;
  const idx = scores.map((_, i) => i).sort((i, j) => scores[i] - scores[j]);
  let positives = 0;
  let rankSum = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && scores[idx[j + 1]] === scores[idx[i]]) j++;
    const midRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (labels[idx[k]] > 0) {
        positives++;
        rankSum += midRank;
      }
    }
    i = j + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * Area under the precision–recall curve as average precision: Σ (R_k − R_{k−1}) · P_k over
 * distinct score thresholds, descending. Tied scores enter together (no optimistic ordering).
 */
export function prAuc(scores: readonly number[], labels: readonly number[]): number {
  const n = scores.length;
  const totalPositives = labels.reduce((s, v) => s + (v > 0 ? 1 : 0), 0);
  if (totalPositives === 0) return NaN;
  const idx = scores.map((_, i) => i).sort((i, j) => scores[j] - scores[i]);
  let tp = 0;
  let seen = 0;
  let ap = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && scores[idx[j + 1]] === scores[idx[i]]) j++;
    let newTp = 0;
    for (let k = i; k <= j; k++) if (labels[idx[k]] > 0) newTp++;
    tp += newTp;
    seen += j - i + 1;
    ap += (newTp / totalPositives) * (tp / seen);
    i = j + 1;
  }
  return ap;
}

/** Brier score: mean squared error of the predicted probabilities. */
export function brier(predictions: readonly number[], labels: readonly number[]): number {
  if (predictions.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < predictions.length; i++) s += (predictions[i] - (labels[i] > 0 ? 1 : 0)) ** 2;
  return s / predictions.length;
}

/** Mean log-loss, probabilities clamped to [1e-12, 1 − 1e-12]. */
export function logLoss(predictions: readonly number[], labels: readonly number[]): number {
  if (predictions.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < predictions.length; i++) {
    const p = Math.min(1 - 1e-12, Math.max(1e-12, predictions[i]));
    s -= labels[i] > 0 ? Math.log(p) : Math.log(1 - p);
  }
  return s / predictions.length;
}

export interface ClassificationReport {
  n: number;
  auc: number | null;
  prAuc: number | null;
  brier: number | null;
  meanPredicted: number | null;
  actualRate: number | null;
}

const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? Math.round(v * 1e6) / 1e6 : null);

/** All four docs/contracts.md §5 churn numbers at once; JSON-safe (null instead of NaN). */
export function classificationReport(predictions: readonly number[], labels: readonly number[]): ClassificationReport {
  const n = predictions.length;
  return {
    n,
    auc: finiteOrNull(auc(predictions, labels)),
    prAuc: finiteOrNull(prAuc(predictions, labels)),
    brier: finiteOrNull(brier(predictions, labels)),
    meanPredicted: finiteOrNull(mean(predictions)),
    actualRate: finiteOrNull(mean(labels.map((v) => (v > 0 ? 1 : 0)))),
  };
}
