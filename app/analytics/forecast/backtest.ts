import { mean, median, quantile } from "../stats";
import { forecastWith, METHODS, weeklyTotals, YEAR_DAYS, type MethodName } from "./methods";

/**
 * Rolling-origin backtest on the series' own history: from each of the last `origins` weekly
 * origins, forecast `weeks` weeks ahead from the data before it and compare weekly totals with
 * what happened. Accuracy is MASE (mean absolute error over the mean absolute error of the
 * in-sample seasonal-naive forecast: < 1 beats it) and 80 % band coverage; the band comes from
 * the backtest's own errors (log ratios, widening with √horizon), calibrated on the older half of
 * the origins and scored on the newer half so coverage is measured out of sample.
 */

export interface MethodBacktest {
  method: MethodName;
  /** Mean MASE over origins and horizons (weekly totals). */
  mase: number;
  /** Share of the newer origins' actual weeks inside the band calibrated on the older ones. */
  coverage80: number | null;
  origins: number;
  /** Median absolute percentage error of weekly totals (weeks with sales), for saying accuracy in words. */
  medianApe: number | null;
  /** ln((actual + 1) / (forecast + 1)) / √h for every (origin, week h), oldest origin first. */
  errors: number[][];
}

export const BAND_Q = [0.1, 0.9] as const;
/** Origins need this many days of training (three weeks: the ETS initialisation and a check). */
export const MIN_TRAIN_DAYS = 28;
export const MIN_ORIGINS = 4;

export function backtestMethod(
  y: readonly number[],
  method: MethodName,
  opts: { weeks: number; origins: number },
): MethodBacktest | null {
  const h = opts.weeks * 7;
  const starts: number[] = [];
  for (let k = opts.origins - 1; k >= 0; k--) {
    const o = y.length - h - 7 * k;
    if (o >= MIN_TRAIN_DAYS) starts.push(o);
  }
  if (starts.length < MIN_ORIGINS) return null;
  const mases: number[] = [];
  const errors: number[][] = [];
  const apes: number[] = [];
  for (const o of starts) {
    const train = y.slice(0, o);
    const f = forecastWith(method, train, h);
    if (!f) return null;
    const fw = weeklyTotals(f);
    const aw = weeklyTotals(y.slice(o, o + h));
    const scale = naiveScale(train);
    mases.push(mean(fw.map((v, i) => Math.abs(v - aw[i]))) / scale);
    fw.forEach((v, i) => aw[i] > 0 && apes.push(Math.abs(v - aw[i]) / aw[i]));
    errors.push(fw.map((v, i) => Math.log((aw[i] + 1) / (v + 1)) / Math.sqrt(i + 1)));
  }
  return {
    method,
    mase: mean(mases),
    coverage80: outOfSampleCoverage(errors),
    origins: starts.length,
    medianApe: apes.length ? median(apes) : null,
    errors,
  };
}

/**
 * In-sample MAE of the seasonal-naive forecast on weekly totals ending at the origin: last year's
 * week when there are more than 52 + 4 weeks, else last week. Floored so a flat series cannot divide by zero.
 */
export function naiveScale(train: readonly number[]): number {
  const offset = train.length % 7;
  const w = weeklyTotals(train.slice(offset));
  const lag = train.length >= YEAR_DAYS + 28 ? YEAR_DAYS / 7 : 1;
  const diffs: number[] = [];
  for (let i = lag; i < w.length; i++) diffs.push(Math.abs(w[i] - w[i - lag]));
  return Math.max(1e-9, diffs.length ? mean(diffs) : 1);
}

/** The 10th and 90th percentile of normalised log-ratio errors. */
export function bandQuantiles(errors: number[][]): [number, number] {
  const all = errors.flat();
  return [quantile(all, BAND_Q[0]), quantile(all, BAND_Q[1])];
}

/** (forecast + 1) · e^(q·√h) − 1, floored at zero. */
export function bandAt(forecast: number, q: number, week: number): number {
  return Math.max(0, (forecast + 1) * Math.exp(q * Math.sqrt(week)) - 1);
}

function outOfSampleCoverage(errors: number[][]): number | null {
  const half = Math.floor(errors.length / 2);
  if (half < 2) return null;
  const [lo, hi] = bandQuantiles(errors.slice(0, half));
  const scored = errors.slice(half).flat();
  // In normalised log-ratio space "inside the band" is lo ≤ e ≤ hi.
  return scored.filter((e) => e >= lo && e <= hi).length / scored.length;
}

/** Every method that can run on this history, backtested; the winner has the lowest MASE (ties → simpler). */
export function compareMethods(y: readonly number[], opts: { weeks: number; origins: number }) {
  const results = METHODS.map((m) => backtestMethod(y, m, opts)).filter((r): r is MethodBacktest => r !== null);
  let best: MethodBacktest | null = null;
  for (const r of results) if (!best || r.mase < best.mase - 1e-12) best = r;
  return { results, best };
}
