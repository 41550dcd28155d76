import { fitEts, forecastEts } from "./ets";
import { YEAR_WEEKS, yearlyIndex } from "./yearly";

/**
 * The forecasting candidates, each a function from a daily history to daily point forecasts for
 * the next `h` days. The backtest (backtest.ts) picks one per series.
 * - `seasonal-naive`: the same week last year (364 days earlier) when there is a year of history,
 *   else last week repeated — the baseline every model must beat.
 * - `ets`: Holt-Winters with damped trend and day-of-week season (ets.ts).
 * - `ets-yearly`: the same on the series divided by the yearly index (yearly.ts), re-multiplied.
 */
export type MethodName = "seasonal-naive" | "ets" | "ets-yearly";
export const METHODS: readonly MethodName[] = ["seasonal-naive", "ets", "ets-yearly"];

export const YEAR_DAYS = YEAR_WEEKS * 7;

export function seasonalNaive(y: ArrayLike<number>, h: number): number[] {
  const lag = y.length >= YEAR_DAYS ? YEAR_DAYS : 7;
  const out: number[] = [];
  for (let k = 0; k < h; k++) {
    // Beyond one lag the pattern repeats (h ≤ 84 < 364, so only the weekly fallback wraps).
    const back = y.length - lag + (k % lag);
    out.push(y[back]);
  }
  return out;
}

/** Daily forecasts, or null when the method cannot run on this history (too short). */
export function forecastWith(method: MethodName, y: ArrayLike<number>, h: number): number[] | null {
  if (method === "seasonal-naive") return y.length >= 7 ? seasonalNaive(y, h) : null;
  if (y.length < 21) return null;
  if (method === "ets") return forecastEts(fitEts(y), h);
  const index = yearlyIndex(y);
  if (!index) return null;
  const adjusted = Float64Array.from({ length: y.length }, (_, d) => y[d] / index(d));
  return forecastEts(fitEts(adjusted), h).map((v, k) => v * index(y.length + k));
}

/** Daily values → weekly totals of consecutive 7-day blocks from the start (a partial week is dropped). */
export function weeklyTotals(daily: readonly number[]): number[] {
  const out: number[] = [];
  for (let k = 0; k + 7 <= daily.length; k += 7) {
    let s = 0;
    for (let i = 0; i < 7; i++) s += daily[k + i];
    out.push(s);
  }
  return out;
}
