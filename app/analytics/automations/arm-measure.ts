import { bootstrapGroupMeans, drawQuantiles, weightedMean } from "../stats";
import type { Rng } from "../types";
import { MIN_CONVERTERS, MIN_PER_ARM } from "./measure";
import type { Interval, UnitOutcome } from "./types";

/**
 * Per-arm results of an offer test (issue #18, D39): each arm against the holdout, with intervals,
 * per segment and over all customers. Allocation differs between segments and runs (the bandit
 * moves it), so a plain mean over pooled customers would mix segments in different proportions per
 * arm. Each customer carries the inverse of the probability of the slot they were assigned to, and
 * means are weighted (Hájek): every arm then estimates the same population's average.
 */

export interface ArmOutcome extends UnitOutcome {
  /** The arm key (arms.ts) of a treated customer; null for the holdout. */
  offerArm: string | null;
  /** 1 / P(assigned to this slot) as recorded at planning. */
  weight: number;
  segment: string;
}

export interface ArmColumns {
  customers: number;
  converters: number;
  conversionRate: number;
  revenuePerCustomerMinor: number;
  discountPerCustomerMinor: number;
  marginPerCustomerMinor: number;
}

export interface ArmResult {
  arm: string;
  summary: ArmColumns;
  /** Arm − holdout, each with an interval; null while there is not enough data for this arm. */
  effect: {
    conversionLift: Interval;
    revenuePerCustomerMinor: Interval;
    discountPerCustomerMinor: Interval;
    marginPerCustomerMinor: Interval;
  } | null;
  /** Why `effect` is null. */
  notEnough: string | null;
}

export interface ArmComparison {
  level: number;
  holdout: ArmColumns;
  arms: ArmResult[];
  /** Margin difference of the best-estimated arm over each other arm (best − other). */
  best: { arm: string; over: { arm: string; marginDifference: Interval }[] } | null;
}

const COLUMNS = [
  (u: ArmOutcome) => (u.orders > 0 ? 1 : 0),
  (u: ArmOutcome) => u.revenueMinor,
  (u: ArmOutcome) => u.discountMinor,
  (u: ArmOutcome) => u.marginMinor,
] as const;

function summarize(units: readonly ArmOutcome[]): ArmColumns {
  const w = Float64Array.from(units, (u) => u.weight);
  const col = (f: (u: ArmOutcome) => number) => (units.length ? weightedMean(Float64Array.from(units, f), w) : 0);
  return {
    customers: units.length,
    converters: units.filter((u) => u.orders > 0).length,
    conversionRate: col(COLUMNS[0]),
    revenuePerCustomerMinor: col(COLUMNS[1]),
    discountPerCustomerMinor: col(COLUMNS[2]),
    marginPerCustomerMinor: col(COLUMNS[3]),
  };
}

/**
 * Every arm vs the holdout on `units` (one segment, or everyone). Percentile bootstrap resampling
 * customers within each slot (the design fixed the slots), rng injected. An arm's effect is
 * reported once it and the holdout have `minPerArm` customers and together `minConverters` buyers.
 */
export function compareArms(
  units: readonly ArmOutcome[],
  armKeys: readonly string[],
  opts: { rng: Rng; level?: number; resamples?: number; minPerArm?: number; minConverters?: number },
): ArmComparison {
  const level = opts.level ?? 0.9;
  const resamples = opts.resamples ?? 1000;
  const minPerArm = opts.minPerArm ?? MIN_PER_ARM;
  const minConverters = opts.minConverters ?? MIN_CONVERTERS;
  const holdoutUnits = units.filter((u) => u.arm === "HOLDOUT");
  const byArm = armKeys.map((k) => units.filter((u) => u.arm === "TREATMENT" && u.offerArm === k));
  const holdout = summarize(holdoutUnits);
  const group = (list: readonly ArmOutcome[]) => ({
    columns: COLUMNS.map((f) => Float64Array.from(list, f)),
    weights: Float64Array.from(list, (u) => u.weight),
  });
  const ready = byArm.map((list) => {
    if (list.length < minPerArm || holdoutUnits.length < minPerArm)
      return `each arm and the holdout need ${minPerArm} customers; this arm has ${list.length}, the holdout ${holdoutUnits.length}`;
    const buyers = list.filter((u) => u.orders > 0).length + holdout.converters;
    if (buyers < minConverters) return `${minConverters} buyers needed in this arm and the holdout, ${buyers} so far`;
    return null;
  });
  const canBootstrap = holdoutUnits.length > 0 && ready.some((r) => r === null);
  const draws = canBootstrap
    ? bootstrapGroupMeans([group(holdoutUnits), ...byArm.map(group)], opts.rng, resamples)
    : null;
  const alpha = (1 - level) / 2;
  const diffInterval = (a: Float64Array, b: Float64Array, estimate: number): Interval => {
    const [low, high] = drawQuantiles(
      a.map((v, i) => v - b[i]),
      [alpha, 1 - alpha],
    );
    return { estimate, low, high };
  };
  const arms: ArmResult[] = armKeys.map((arm, k) => {
    const summary = summarize(byArm[k]);
    if (ready[k] !== null || !draws) return { arm, summary, effect: null, notEnough: ready[k] ?? "no holdout" };
    const d = (c: number, est: number) => diffInterval(draws[k + 1][c], draws[0][c], est);
    return {
      arm,
      summary,
      notEnough: null,
      effect: {
        conversionLift: d(0, summary.conversionRate - holdout.conversionRate),
        revenuePerCustomerMinor: d(1, summary.revenuePerCustomerMinor - holdout.revenuePerCustomerMinor),
        discountPerCustomerMinor: d(2, summary.discountPerCustomerMinor - holdout.discountPerCustomerMinor),
        marginPerCustomerMinor: d(3, summary.marginPerCustomerMinor - holdout.marginPerCustomerMinor),
      },
    };
  });
  const measured = arms.map((a, k) => ({ a, k })).filter(({ a }) => a.effect);
  let best: ArmComparison["best"] = null;
  if (draws && measured.length >= 2) {
    const top = measured.reduce((x, y) =>
      y.a.summary.marginPerCustomerMinor > x.a.summary.marginPerCustomerMinor ? y : x,
    );
    best = {
      arm: top.a.arm,
      over: measured
        .filter((m) => m.k !== top.k)
        .map((m) => ({
          arm: m.a.arm,
          marginDifference: diffInterval(
            draws[top.k + 1][3],
            draws[m.k + 1][3],
            top.a.summary.marginPerCustomerMinor - m.a.summary.marginPerCustomerMinor,
          ),
        })),
    };
  }
  return { level, holdout, arms, best };
}

/** One plain recommendation for a segment (null = every customer pooled). */
export interface Recommendation {
  segment: string | null;
  customers: number;
  /** The arm with the highest estimated margin per treated customer, or null when none is measured yet. */
  best: string | null;
  /** The best arm's lead over the runner-up (best − runner-up), with its interval. */
  runnerUp: { arm: string; marginDifference: Interval } | null;
  /** The lead's interval excludes zero. */
  clear: boolean;
  /** Arms whose margin lift over the holdout is below zero across the interval: they cost more than they bring. */
  losing: string[];
  notEnough: string | null;
}

/** What to offer: per segment with enough data, and over everyone. */
export function recommendArms(
  units: readonly ArmOutcome[],
  armKeys: readonly string[],
  opts: { rng: Rng; level?: number; resamples?: number },
): { level: number; overall: Recommendation; bySegment: Recommendation[] } {
  const level = opts.level ?? 0.9;
  const one = (segment: string | null, list: readonly ArmOutcome[]): Recommendation => {
    const c = compareArms(list, armKeys, { ...opts, level });
    const losing = c.arms.filter((a) => a.effect && a.effect.marginPerCustomerMinor.high < 0).map((a) => a.arm);
    if (!c.best) {
      const reason = c.arms.find((a) => a.notEnough)?.notEnough ?? "not enough data yet";
      return { segment, customers: list.length, best: null, runnerUp: null, clear: false, losing, notEnough: reason };
    }
    const runnerUp = c.best.over.reduce((x, y) => (y.marginDifference.estimate < x.marginDifference.estimate ? y : x));
    return {
      segment,
      customers: list.length,
      best: c.best.arm,
      runnerUp,
      clear: runnerUp.marginDifference.low > 0,
      losing,
      notEnough: null,
    };
  };
  const segments = [...new Set(units.map((u) => u.segment))].sort();
  return {
    level,
    overall: one(null, units),
    bySegment: segments.map((s) =>
      one(
        s,
        units.filter((u) => u.segment === s),
      ),
    ),
  };
}
