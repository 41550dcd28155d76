import { mean } from "../stats";

/**
 * Yearly seasonality as a multiplicative index per day, by ratio to a moving average on weekly
 * totals: each week's total over the mean of a 52-week window around it (centred where the data
 * allows, shifted inside the history at its ends — a full year averages the season out), averaged
 * per week of the year, smoothed over five weeks and shrunk halfway to 1 (one or two years give one
 * or two ratios per week of the year, which is noisy). Needs a year and a month of history, so a
 * shop with two years can still be backtested from origins a few months back; without it, null.
 */
export const YEAR_WEEKS = 52;
export const MIN_YEARLY_WEEKS = YEAR_WEEKS + 4;
const SHRINK = 0.5;

/** Index for day `d` of the series (0 = first day) and any day after it, or null without enough history. */
export function yearlyIndex(y: ArrayLike<number>): ((day: number) => number) | null {
  const weeks = Math.floor(y.length / 7);
  if (weeks < MIN_YEARLY_WEEKS) return null;
  // Whole weeks aligned to the end of the series, so the last week is complete.
  const offset = y.length - weeks * 7;
  const w: number[] = [];
  for (let k = 0; k < weeks; k++) {
    let s = 0;
    for (let i = 0; i < 7; i++) s += y[offset + k * 7 + i];
    w.push(s);
  }
  const prefix = [0];
  for (const v of w) prefix.push(prefix[prefix.length - 1] + v);
  const ratios: number[][] = Array.from({ length: YEAR_WEEKS }, () => []);
  for (let k = 0; k < weeks; k++) {
    const lo = Math.min(Math.max(0, k - YEAR_WEEKS / 2), weeks - YEAR_WEEKS);
    const ma = (prefix[lo + YEAR_WEEKS] - prefix[lo]) / YEAR_WEEKS;
    if (ma > 0) ratios[k % YEAR_WEEKS].push(w[k] / ma);
  }
  const raw = ratios.map((r) => (r.length ? mean(r) : 1));
  const smooth = raw.map((_, i) => {
    const around = [-2, -1, 0, 1, 2].map((d) => raw[(i + d + YEAR_WEEKS) % YEAR_WEEKS]);
    return 1 + SHRINK * (mean(around) - 1);
  });
  const norm = mean(smooth);
  const index = smooth.map((v) => Math.max(0.2, v / norm));
  return (day: number) => index[((Math.floor((day - offset) / 7) % YEAR_WEEKS) + YEAR_WEEKS) % YEAR_WEEKS];
}
