/**
 * Descriptive statistics for the engine, in one place (D26). Pure: no I/O, clock or randomness.
 *
 * Empty input is part of each contract because callers relied on different answers before they
 * shared this module: `mean` is NaN (a missing value the caller must handle), `meanOfFinite` is NaN
 * (metric averages where NaN marks "not defined for this case"), `meanOfFiniteOrZero` is 0 (a
 * tuning objective that must stay comparable). Sums add left to right, as the loops and
 * `reduce` calls they replace did, so fitted numbers stay byte-identical.
 */

/** Sum, left to right; 0 when empty. */
export function sum(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s;
}

/** Arithmetic mean; NaN when empty. */
export function mean(values: ArrayLike<number>): number {
  return values.length === 0 ? NaN : sum(values) / values.length;
}

/** Mean of the finite values only (NaN/±Infinity skipped); NaN when there are none. */
export function meanOfFinite(values: readonly number[]): number {
  return mean(values.filter(Number.isFinite));
}

/** Mean of the finite values only; 0 when there are none (an objective that must stay a number). */
export function meanOfFiniteOrZero(values: readonly number[]): number {
  const m = meanOfFinite(values);
  return Number.isNaN(m) ? 0 : m;
}

/**
 * Linear-interpolation quantile (Hyndman–Fan type 7, the default of R and numpy) of an array that
 * is already ascending; q is clamped to [0, 1]; NaN when empty. The bootstrap sorts its draws once
 * into a Float64Array and reads several quantiles, hence the sorted variant.
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Type-7 quantile of values in any order (sorts a copy); NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  return quantileSorted(ascending(values), q);
}

/** Median (type-7 quantile at 0.5: the middle value, or the mean of the two middle ones); NaN when empty. */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/**
 * Nearest-rank quantile (type 1, the inverse empirical CDF: the smallest value with at least q of the
 * data at or below it) of an ascending array; NaN when empty. Latency reports use it so that "p95" is
 * a time that was actually observed, not an interpolation between two requests.
 */
export function nearestRankQuantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil(Math.min(1, Math.max(0, q)) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** A sorted copy, ascending by numeric value. */
export function ascending(values: readonly number[]): number[] {
  return values.slice().sort((a, b) => a - b);
}

/** A percentile-bootstrap interval of a mean difference. */
export interface DifferenceInterval {
  /** Observed mean of a − b over the paired cases. */
  mean: number;
  lo: number;
  hi: number;
  level: number;
  resamples: number;
}

/**
 * Paired percentile bootstrap of mean(a − b): a[i] and b[i] are two methods' scores on the same
 * case i, so resampling cases keeps the pairing and the interval reflects only how the *difference*
 * varies (much narrower than two independent intervals when both methods find the same easy cases).
 * The rng is injected (the engine is pure); same rng state, same interval. NaN bounds when empty.
 */
export function pairedBootstrapDifference(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  rng: () => number,
  opts: { resamples?: number; level?: number } = {},
): DifferenceInterval {
  const resamples = opts.resamples ?? 1000;
  const level = opts.level ?? 0.95;
  const n = Math.min(a.length, b.length);
  const diff = new Float64Array(n);
  for (let i = 0; i < n; i++) diff[i] = a[i] - b[i];
  if (n === 0) return { mean: NaN, lo: NaN, hi: NaN, level, resamples };
  const draws = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += diff[Math.floor(rng() * n)];
    draws[r] = s / n;
  }
  draws.sort();
  const tail = (1 - level) / 2;
  return {
    mean: sum(diff) / n,
    lo: quantileSorted(draws, tail),
    hi: quantileSorted(draws, 1 - tail),
    level,
    resamples,
  };
}

/** One group of a stratified bootstrap: value columns of equal length and optional per-row weights. */
export interface BootstrapGroup {
  columns: readonly Float64Array[];
  /** Row weights (inverse assignment probabilities, say); absent = every row weighs 1. */
  weights?: Float64Array;
}

/**
 * Percentile-bootstrap draws of each group's (weighted) column means: in every resample each group
 * is resampled with replacement on its own (the design fixed the groups), the groups in the order
 * given. `draws[g][c][b]` is group g's mean of column c in resample b. With no weights the mean is
 * sum / n, so callers that moved here from a hand-written loop keep their numbers.
 */
export function bootstrapGroupMeans(
  groups: readonly BootstrapGroup[],
  rng: () => number,
  resamples: number,
): Float64Array[][] {
  const draws = groups.map((g) => g.columns.map(() => new Float64Array(resamples)));
  const acc = groups.map((g) => new Float64Array(g.columns.length));
  for (let b = 0; b < resamples; b++) {
    groups.forEach((g, gi) => {
      const n = g.columns[0]?.length ?? 0;
      const sums = acc[gi];
      sums.fill(0);
      let wsum = 0;
      for (let i = 0; i < n; i++) {
        const j = Math.floor(rng() * n);
        const w = g.weights ? g.weights[j] : 1;
        wsum += w;
        for (let c = 0; c < sums.length; c++) sums[c] += g.weights ? w * g.columns[c][j] : g.columns[c][j];
      }
      const denom = g.weights ? wsum : n;
      for (let c = 0; c < sums.length; c++) draws[gi][c][b] = sums[c] / denom;
    });
  }
  return draws;
}

/** Weighted mean Σ w·x / Σ w (plain mean without weights); NaN when empty. */
export function weightedMean(values: ArrayLike<number>, weights?: ArrayLike<number>): number {
  if (!weights) return mean(values);
  let s = 0;
  let w = 0;
  for (let i = 0; i < values.length; i++) {
    s += weights[i] * values[i];
    w += weights[i];
  }
  return values.length === 0 ? NaN : s / w;
}

/** Type-7 quantiles `qs` of bootstrap draws (sorts a copy once). */
export function drawQuantiles(draws: ArrayLike<number>, qs: readonly number[]): number[] {
  const sorted = Float64Array.from(draws).sort();
  return qs.map((q) => quantileSorted(sorted, q));
}
