/**
 * Per-customer features for the propensity candidates (`model-selection.ts`). Every value is a
 * function of one customer's own history up to `asOf` plus fitted parameters (BG/NBD), never of
 * other customers, so one customer can be re-scored from stored parameters (D34).
 */
import type { BgNbdShape } from "./bgnbd";
import { expectedTransactions, pAlive, probabilityOfPurchase } from "./bgnbd";
import { propensityFeatures } from "./propensity";
import { logit } from "./special";
import { WEEK_DAYS, type CustomerHistory } from "./summary";

export interface FeatureSpec {
  name: string;
  /** Plain words for "lo < x ≤ hi" in the feature's own units (for decision-tree segments). */
  describe?: (lo: number, hi: number) => string | null;
}

const days = (v: number) => Math.round(Math.expm1(v));
const range = (lo: number, hi: number, unit: (v: number) => number, words: (a: string) => string) => {
  const a = Number.isFinite(lo) ? unit(lo) : null;
  const b = Number.isFinite(hi) ? unit(hi) : null;
  if (a !== null && b !== null) return words(a + 1 >= b ? `${b}` : `${a + 1}–${b}`);
  if (a !== null) return words(`more than ${a}`);
  if (b !== null) return words(`at most ${b}`);
  return null;
};

/** The log-RFM baseline of docs/contracts.md §5 (bench and candidate "logistic-rfm"). */
export const RFM_FEATURES = [0, 1, 3, 4];

export const RICH_FEATURES: readonly FeatureSpec[] = [
  {
    name: "log1p(recency days)",
    describe: (lo, hi) => range(lo, hi, days, (r) => `last order ${r} days ago`),
  },
  {
    name: "log1p(repeat purchase days)",
    describe: (lo, hi) =>
      range(
        lo,
        hi,
        (v) => days(v) + 1,
        (r) => `${r} purchase days`,
      ),
  },
  { name: "log1p(orders)", describe: (lo, hi) => range(lo, hi, days, (r) => `${r} orders`) },
  {
    name: "log1p(mean purchase value)",
    describe: (lo, hi) => range(lo, hi, days, (r) => `spends ${r} per purchase day`),
  },
  { name: "log1p(tenure days)", describe: (lo, hi) => range(lo, hi, days, (r) => `first order ${r} days ago`) },
  { name: "log1p(mean gap days)" },
  { name: "log((recency+1)/(mean gap+1))" },
  { name: "one-time buyer", describe: (lo) => (Number.isFinite(lo) ? "bought once" : "bought more than once") },
  { name: "logit(BG/NBD P(alive))" },
  { name: "log1p(BG/NBD expected purchases)" },
  { name: "gap regularity (sd/mean of gaps)" },
  { name: "gap trend log((last gap+1)/(mean gap+1))" },
  { name: "spend trend log((last day value+1)/(mean day value+1))" },
  {
    name: "log1p(purchase days in the last 90 days)",
    describe: (lo, hi) => range(lo, hi, days, (r) => `${r} purchase days in the last 90 days`),
  },
  {
    name: "log1p(purchase days in the last 365 days)",
    describe: (lo, hi) => range(lo, hi, days, (r) => `${r} purchase days in the last year`),
  },
  {
    name: "log1p(purchase days in this season in earlier years)",
    describe: (lo, hi) => range(lo, hi, days, (r) => `${r} purchase days in this season in earlier years`),
  },
  { name: "logit(BG/NBD P(order within horizon))" },
];

const YEAR_DAYS = 365;

/**
 * Feature row for one customer at the snapshot the history was summarised at (`h.recencyDays` etc.
 * are measured to it). `horizonDays` is the label window the model predicts.
 */
export function customerFeatures(h: CustomerHistory, bg: BgNbdShape, horizonDays: number): number[] {
  const n = h.purchaseDays.length;
  const meanValue = n > 0 ? h.totalSpend / n : 0;
  const gap = h.meanGapDays;
  const gaps: number[] = [];
  for (let i = 1; i < n; i++) gaps.push(h.purchaseDays[i] - h.purchaseDays[i - 1]);
  let regularity = 0;
  let gapTrend = 0;
  if (gaps.length >= 2 && gap !== null) {
    const sd = Math.sqrt(gaps.reduce((s, v) => s + (v - gap) ** 2, 0) / gaps.length);
    regularity = gap > 0 ? sd / gap : 0;
    gapTrend = Math.log((gaps[gaps.length - 1] + 1) / (gap + 1));
  }
  const spendTrend = n >= 2 ? Math.log((h.dayValues[n - 1] + 1) / (meanValue + 1)) : 0;
  const endDay = h.purchaseDays[n - 1] + h.recencyDays;
  let last90 = 0;
  let last365 = 0;
  let season = 0;
  for (const d of h.purchaseDays) {
    const age = endDay - d;
    if (age < 90) last90++;
    if (age < YEAR_DAYS) last365++;
    // Same stretch of the calendar as the coming window, one or more years back.
    if (horizonDays < YEAR_DAYS && age >= YEAR_DAYS - horizonDays) {
      const phase = (((d - endDay - 1) % YEAR_DAYS) + YEAR_DAYS) % YEAR_DAYS;
      if (phase < horizonDays) season++;
    }
  }
  const t = horizonDays / WEEK_DAYS;
  return [
    // The first ten are the blend's logistic features (PROPENSITY_FEATURES), built by the same function.
    ...propensityFeatures(h, pAlive(bg, h), expectedTransactions(bg, h, t)),
    regularity,
    gapTrend,
    spendTrend,
    Math.log1p(last90),
    Math.log1p(last365),
    Math.log1p(season),
    logit(probabilityOfPurchase(bg, h, t)),
  ];
}
