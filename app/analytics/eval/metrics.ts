/**
 * Ranking and probability metrics exactly as DESIGN §5 defines them (full-catalogue ranking, no
 * sampled negatives). `ranked` is the model's list best-first; `truth` the items actually bought.
 */

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

/** Mean of the finite values (NaN cases — e.g. empty truth — are skipped); NaN when none. */
export function meanOf(values: readonly number[]): number {
  let sum = 0;
  let n = 0;
  for (const v of values) {
    if (Number.isFinite(v)) {
      sum += v;
      n++;
    }
  }
  return n === 0 ? NaN : sum / n;
}

/**
 * ROC AUC via the Mann–Whitney statistic with average ranks for ties (so a constant predictor
 * scores exactly 0.5). NaN when one class is absent.
 */
export function rocAuc(scores: readonly number[], labels: readonly boolean[]): number {
  const order = scores.map((s, i) => [s, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Float64Array(scores.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1][0] === order[start][0]) end++;
    const avg = (start + end) / 2 + 1;
    for (let t = start; t <= end; t++) ranks[order[t][1]] = avg;
    start = end + 1;
  }
  let positives = 0;
  let rankSum = 0;
  labels.forEach((y, i) => {
    if (y) {
      positives++;
      rankSum += ranks[i];
    }
  });
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * PR-AUC as average precision (the step-wise area sklearn reports): mean over positives of the
 * precision at each positive's rank, tied scores handled as one block.
 */
export function prAuc(scores: readonly number[], labels: readonly boolean[]): number {
  const totalPositives = labels.filter(Boolean).length;
  if (totalPositives === 0) return NaN;
  const order = scores.map((s, i) => i).sort((a, b) => scores[b] - scores[a]);
  let tp = 0;
  let fp = 0;
  let ap = 0;
  let prevRecall = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && scores[order[end + 1]] === scores[order[start]]) end++;
    for (let t = start; t <= end; t++) (labels[order[t]] ? tp++ : fp++);
    const recall = tp / totalPositives;
    ap += (recall - prevRecall) * (tp / (tp + fp));
    prevRecall = recall;
    start = end + 1;
  }
  return ap;
}

/** Mean squared error of probabilities against 0/1 outcomes. */
export function brierScore(probabilities: readonly number[], labels: readonly boolean[]): number {
  let sum = 0;
  probabilities.forEach((p, i) => (sum += (p - (labels[i] ? 1 : 0)) ** 2));
  return sum / probabilities.length;
}

/** Calibration in the large: mean predicted probability vs the observed rate. */
export function meanPredictedVsActual(
  probabilities: readonly number[],
  labels: readonly boolean[],
): { predicted: number; actual: number } {
  return {
    predicted: probabilities.reduce((s, p) => s + p, 0) / probabilities.length,
    actual: labels.filter(Boolean).length / labels.length,
  };
}
