/**
 * When a customer's next order is likely to come, if it comes within the horizon: BG/NBD's
 * posterior timing, P(first order within k days) = F(k) (`probabilityOfPurchase`), conditioned on
 * ordering within the window, F(k)/F(H). BG/NBD's timing is memoryless-shaped and too early for
 * regular buyers, so its quantile levels are recalibrated on the shop's own history (quantile
 * recalibration, Kuleshov et al. 2018): at an earlier snapshot, the probability-integral
 * transform u = F(actual)/F(H) of every customer who did order is collected, and the levels whose
 * empirical u-quantiles are 10 %, 50 % and 90 % become the interval ends and the point estimate.
 */
import type { Order } from "../types";
import { quantile } from "../stats";
import { DAY_MS } from "../time";
import { fitBgNbd, probabilityOfPurchase, type BgNbdShape, type RepeatHistory } from "./bgnbd";
import { dayIndex, lastObservedDay, summarizeCustomers, WEEK_DAYS, type CustomerHistory } from "./summary";

export interface TimingLevels {
  /** Levels of the conditional CDF used for the 80 % interval's ends and the point estimate. */
  low: number;
  mid: number;
  high: number;
  /** Buyers the levels were learnt from (0 = uncalibrated: 0.1 / 0.5 / 0.9). */
  fittedOn: number;
}

export const RAW_LEVELS: TimingLevels = { low: 0.1, mid: 0.5, high: 0.9, fittedOn: 0 };
/** Fewer buyers than this and the levels stay at their nominal values. */
const MIN_TIMING_BUYERS = 30;

export interface NextOrderDays {
  low: number;
  mid: number;
  high: number;
}

function conditionalCdf(bg: BgNbdShape, h: RepeatHistory, horizonDays: number): (days: number) => number {
  const total = probabilityOfPurchase(bg, h, horizonDays / WEEK_DAYS);
  return (days) => (total > 0 ? probabilityOfPurchase(bg, h, days / WEEK_DAYS) / total : days / horizonDays);
}

/** Smallest whole day k in 1..H with F(k)/F(H) ≥ q (binary search; F is increasing). */
function dayAtLevel(cdf: (d: number) => number, horizonDays: number, q: number): number {
  let lo = 1;
  let hi = Math.max(1, Math.round(horizonDays));
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdf(mid) >= q) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Days after asOf's last observed day: the point estimate and the 80 % interval. */
export function nextOrderDays(
  bg: BgNbdShape,
  h: RepeatHistory,
  horizonDays: number,
  levels: TimingLevels,
): NextOrderDays {
  const cdf = conditionalCdf(bg, h, horizonDays);
  return {
    low: dayAtLevel(cdf, horizonDays, levels.low),
    mid: dayAtLevel(cdf, horizonDays, levels.mid),
    high: dayAtLevel(cdf, horizonDays, levels.high),
  };
}

/** Day (1..H) of each customer's first order after the snapshot, for those who ordered. */
export function firstOrderDays(orders: readonly Order[], at: number, horizonDays: number): Map<string, number> {
  const endDay = lastObservedDay(at);
  const out = new Map<string, number>();
  for (const o of orders) {
    if (!o || !o.customer || !(o.at >= at && o.at < at + horizonDays * DAY_MS)) continue;
    const k = Math.max(1, dayIndex(o.at) - endDay);
    const prev = out.get(o.customer);
    if (prev === undefined || k < prev) out.set(o.customer, k);
  }
  return out;
}

/** Learns the recalibrated levels from the buyers of [at, at + H) (histories summarised at `at`). */
export function fitTimingLevels(
  bg: BgNbdShape,
  histories: readonly CustomerHistory[],
  firstDays: Map<string, number>,
  horizonDays: number,
): TimingLevels {
  const u: number[] = [];
  for (const h of histories) {
    const k = firstDays.get(h.customer);
    if (k === undefined) continue;
    const cdf = conditionalCdf(bg, h, horizonDays);
    // Mid-point of the day's probability mass (days are discrete).
    u.push((cdf(k - 1) + cdf(k)) / 2);
  }
  if (u.length < MIN_TIMING_BUYERS) return RAW_LEVELS;
  return { low: quantile(u, 0.1), mid: quantile(u, 0.5), high: quantile(u, 0.9), fittedOn: u.length };
}

export interface TimingReport {
  buyers: number;
  /** Mean |actual − predicted| day of the first order, for customers who ordered in the window. */
  maeDays: number | null;
  /** Share of those buyers whose first order fell inside the 80 % interval. */
  coverage: number | null;
  /** Same with the nominal BG/NBD levels (before recalibration), for comparison. */
  rawMaeDays: number | null;
  rawCoverage: number | null;
  /** "Last order + their mean gap" (one-time buyers: half the window), the admin's old estimate. */
  naiveMaeDays: number | null;
}

/** Scores timing predictions made at the snapshot the histories were summarised at. */
export function timingReport(
  bg: BgNbdShape,
  histories: readonly CustomerHistory[],
  firstDays: Map<string, number>,
  horizonDays: number,
  levels: TimingLevels,
): TimingReport {
  let n = 0;
  let err = 0;
  let inside = 0;
  let rawErr = 0;
  let rawInside = 0;
  let naiveErr = 0;
  for (const h of histories) {
    const k = firstDays.get(h.customer);
    if (k === undefined) continue;
    n++;
    const p = nextOrderDays(bg, h, horizonDays, levels);
    const raw = nextOrderDays(bg, h, horizonDays, RAW_LEVELS);
    err += Math.abs(k - p.mid);
    rawErr += Math.abs(k - raw.mid);
    if (k >= p.low && k <= p.high) inside++;
    if (k >= raw.low && k <= raw.high) rawInside++;
    const naive =
      h.meanGapDays === null ? horizonDays / 2 : Math.min(horizonDays, Math.max(1, h.meanGapDays - h.recencyDays));
    naiveErr += Math.abs(k - naive);
  }
  const r = (v: number) => (n > 0 ? Math.round((v / n) * 1000) / 1000 : null);
  return {
    buyers: n,
    maeDays: r(err),
    coverage: r(inside),
    rawMaeDays: r(rawErr),
    rawCoverage: r(rawInside),
    naiveMaeDays: r(naiveErr),
  };
}

export interface TimingFit {
  levels: TimingLevels;
  /** Levels learnt one horizon earlier, scored on the latest window (absent on short histories). */
  backtest?: TimingReport & { evaluatedAt: string };
}

/**
 * Levels for production come from the buyers of [asOf − H, asOf); the honest check learns them
 * from [asOf − 2H, asOf − H) and scores them on [asOf − H, asOf).
 */
export function fitTiming(orders: readonly Order[], asOf: number, horizonDays: number, warm: BgNbdShape): TimingFit {
  const H = horizonDays * DAY_MS;
  const at = (s: number) => {
    const histories = summarizeCustomers(orders, s);
    return { histories, bg: fitBgNbd(histories, warm), first: firstOrderDays(orders, s, horizonDays) };
  };
  const latest = at(asOf - H);
  if (latest.histories.length === 0) return { levels: RAW_LEVELS };
  const levels = fitTimingLevels(latest.bg, latest.histories, latest.first, horizonDays);
  const earlier = at(asOf - 2 * H);
  if (earlier.histories.length === 0) return { levels };
  const earlierLevels = fitTimingLevels(earlier.bg, earlier.histories, earlier.first, horizonDays);
  if (earlierLevels.fittedOn === 0) return { levels };
  return {
    levels,
    backtest: {
      evaluatedAt: new Date(asOf - H).toISOString().slice(0, 10),
      ...timingReport(latest.bg, latest.histories, latest.first, horizonDays, earlierLevels),
    },
  };
}
