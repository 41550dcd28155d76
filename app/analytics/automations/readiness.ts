import { DAY_MS } from "../time";
import { MIN_CONVERTERS, MIN_PER_ARM } from "./measure";
import type { TimedUnit } from "./series";

export type Readiness =
  | { status: "READY" }
  /** Time does not help: the arms are fixed at planning; later runs add customers. */
  | { status: "NEEDS_CUSTOMERS"; treated: number; holdout: number; minPerArm: number }
  /** Nobody bought yet, so there is no rate to project from. */
  | { status: "NO_RATE_YET"; converters: number; needed: number }
  /** Expected to have enough buyers `inMs` from now (within the measurement window). */
  | { status: "EXPECTED"; inMs: number; converters: number; needed: number }
  /** At the observed rate the window ends before enough customers buy. */
  | { status: "NOT_IN_WINDOW"; converters: number; expectedConverters: number; needed: number };

/**
 * When results will have enough buyers (measure.ts `minConverters`), projected from the rate seen
 * so far. Time to first order is treated as exponential: the rate is buyers / exposure (each
 * customer exposed until their first order or until now, the MLE), and every customer who has
 * not bought yet buys within the next d days with 1 − exp(−rate·d), capped by what is left of
 * their window. The date is the smallest d whose expected buyers reach the minimum.
 */
export function resultsReadiness(
  units: readonly TimedUnit[],
  opts: { windowMs: number; minPerArm?: number; minConverters?: number },
): Readiness {
  const minPerArm = opts.minPerArm ?? MIN_PER_ARM;
  const needed = opts.minConverters ?? MIN_CONVERTERS;
  const treated = units.filter((u) => u.arm === "TREATMENT").length;
  const holdout = units.length - treated;
  if (treated < minPerArm || holdout < minPerArm) return { status: "NEEDS_CUSTOMERS", treated, holdout, minPerArm };
  const firstOrder = (u: TimedUnit) => Math.min(...u.orders.map((o) => o.offsetMs).filter((t) => t < u.observedMs));
  let converters = 0;
  let exposure = 0;
  const remaining: number[] = [];
  for (const u of units) {
    const first = firstOrder(u);
    if (Number.isFinite(first)) {
      converters++;
      exposure += first;
    } else {
      exposure += u.observedMs;
      remaining.push(Math.max(0, opts.windowMs - u.observedMs));
    }
  }
  if (converters >= needed) return { status: "READY" };
  if (converters === 0 || exposure <= 0) return { status: "NO_RATE_YET", converters, needed };
  const rate = converters / exposure;
  const expectedBy = (d: number) =>
    converters + remaining.reduce((s, r) => s + 1 - Math.exp(-rate * Math.min(d, r)), 0);
  const horizon = Math.max(0, ...remaining);
  if (expectedBy(horizon) < needed)
    return { status: "NOT_IN_WINDOW", converters, expectedConverters: expectedBy(horizon), needed };
  // Bisection to the hour: expectedBy is non-decreasing in d.
  let lo = 0;
  let hi = horizon;
  while (hi - lo > DAY_MS / 24) {
    const mid = (lo + hi) / 2;
    if (expectedBy(mid) >= needed) hi = mid;
    else lo = mid;
  }
  return { status: "EXPECTED", inMs: hi, converters, needed };
}
