/**
 * Ranking and probability metrics exactly as docs/contracts.md §5 defines them (full-catalogue ranking, no
 * sampled negatives). `ranked` is the model's list best-first; `truth` the items actually bought.
 */
import { auc, brier, prAuc as averagePrecision } from "../customers/metrics";
import { mean } from "../stats";

/** Recall@k = hits in the top k / min(|truth|, k). Empty truth → NaN (the case is skipped). */
export function recallAtK(ranked: readonly string[], truth: ReadonlySet<string>, k: number): number {
  if (truth.size === 0) return NaN;
  return hits(ranked, truth, k) / Math.min(truth.size, k);
}

/** HR@k: 1 when at least one of the top k was bought. */
export function hitRateAtK(ranked: readonly string[], truth: ReadonlySet<string>, k: number): number {
  if (truth.size === 0) return NaN;
  return hits(ranked, truth, k) > 0 ? 1 : 0;
}

/** NDCG@k with binary gains; IDCG places min(|truth|, k) hits at the top (truncated at k). */
export function ndcgAtK(ranked: readonly string[], truth: ReadonlySet<string>, k: number): number {
  if (truth.size === 0) return NaN;
  let dcg = 0;
  const seen = new Set<string>();
  ranked.slice(0, k).forEach((item, r) => {
    if (truth.has(item) && !seen.has(item)) dcg += 1 / Math.log2(r + 2);
    seen.add(item);
  });
  let idcg = 0;
  for (let r = 0; r < Math.min(truth.size, k); r++) idcg += 1 / Math.log2(r + 2);
  return dcg / idcg;
}

function hits(ranked: readonly string[], truth: ReadonlySet<string>, k: number): number {
  const top = new Set(ranked.slice(0, k));
  let n = 0;
  for (const item of top) if (truth.has(item)) n++;
  return n;
}

// Classification metrics have one implementation (customers/metrics.ts); these adapters take the
// boolean labels the evaluation code works with.
const asNumbers = (labels: readonly boolean[]) => labels.map((y) => (y ? 1 : 0));

/** ROC AUC (Mann–Whitney with mid-ranks for ties); NaN when one class is absent. */
export const rocAuc = (scores: readonly number[], labels: readonly boolean[]): number => auc(scores, asNumbers(labels));

/** PR-AUC as average precision, tied scores as one block. */
export const prAuc = (scores: readonly number[], labels: readonly boolean[]): number =>
  averagePrecision(scores, asNumbers(labels));

/** Mean squared error of probabilities against 0/1 outcomes. */
export const brierScore = (probabilities: readonly number[], labels: readonly boolean[]): number =>
  brier(probabilities, asNumbers(labels));

/** Calibration in the large: mean predicted probability vs the observed rate. */
export function meanPredictedVsActual(
  probabilities: readonly number[],
  labels: readonly boolean[],
): { predicted: number; actual: number } {
  return {
    predicted: mean(probabilities),
    actual: labels.filter(Boolean).length / labels.length,
  };
}
