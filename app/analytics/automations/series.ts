import { DAY_MS } from "../time";
import type { Rng } from "../types";
import { bootstrapEffect } from "./measure";
import type { Arm, Interval, UnitOutcome } from "./types";

/** One order of an assigned customer, timed from the start of that customer's run. */
export interface TimedOrder {
  offsetMs: number;
  revenueMinor: number;
  marginMinor: number;
  discountMinor: number;
  redeemed: boolean;
}

/** An assigned customer with their orders, and how long their run has been observed so far. */
export interface TimedUnit {
  arm: Arm;
  stratum: string;
  /** Time from run start to now (or to the window end, when it is over). */
  observedMs: number;
  orders: readonly TimedOrder[];
}

export interface SeriesPoint {
  /** Days since run start. */
  day: number;
  treated: { customers: number; conversionRate: number };
  holdout: { customers: number; conversionRate: number };
  /** Null when an arm is empty at this checkpoint. */
  conversionLift: Interval | null;
  marginPerCustomerMinor: Interval | null;
  /** Per-customer lift × treated customers at this checkpoint. */
  totalIncrementalMarginMinor: Interval | null;
}

export interface SeriesOptions {
  rng: Rng;
  /** Measurement window length (the last checkpoint is at most this). */
  windowMs: number;
  level?: number;
  /** Per checkpoint; fewer than measureEffect's because there are many checkpoints. */
  resamples?: number;
}

/**
 * Cumulative treated-vs-holdout results at checkpoints from run start: daily up to 45 days, else
 * weekly, ending at the longest observed time (capped by the window). Runs are pooled by days
 * since their own start; a customer counts at a checkpoint only once their run has reached it,
 * so a run started yesterday does not dilute day 20 with zeros. Same bootstrap as measureEffect.
 */
export function resultsSeries(units: readonly TimedUnit[], opts: SeriesOptions): SeriesPoint[] {
  const observed = Math.min(opts.windowMs, Math.max(0, ...units.map((u) => u.observedMs)));
  const step = opts.windowMs <= 45 * DAY_MS ? DAY_MS : 7 * DAY_MS;
  const ends: number[] = [];
  for (let t = 0; t < observed; t += step) ends.push(t);
  ends.push(observed);
  return ends.map((t) => pointAt(units, t, opts));
}

function pointAt(units: readonly TimedUnit[], t: number, opts: SeriesOptions): SeriesPoint {
  const reached = units.filter((u) => u.observedMs >= t);
  const outcomes = reached.map((u) => outcomeBefore(u, t));
  const tr = outcomes.filter((u) => u.arm === "TREATMENT");
  const ho = outcomes.filter((u) => u.arm === "HOLDOUT");
  const rate = (xs: UnitOutcome[]) => (xs.length ? xs.filter((u) => u.orders > 0).length / xs.length : 0);
  const base = {
    day: t / DAY_MS,
    treated: { customers: tr.length, conversionRate: rate(tr) },
    holdout: { customers: ho.length, conversionRate: rate(ho) },
  };
  if (!tr.length || !ho.length)
    return { ...base, conversionLift: null, marginPerCustomerMinor: null, totalIncrementalMarginMinor: null };
  const e = bootstrapEffect(tr, ho, opts.rng, opts.resamples ?? 300, opts.level ?? 0.9);
  return {
    ...base,
    conversionLift: e.conversionLift,
    marginPerCustomerMinor: e.marginPerCustomerMinor,
    totalIncrementalMarginMinor: e.totalIncrementalMarginMinor,
  };
}

/** The customer's outcome counting only orders placed before `t` (from run start). */
export function outcomeBefore(u: TimedUnit, t: number): UnitOutcome {
  const out: UnitOutcome = {
    arm: u.arm,
    stratum: u.stratum,
    orders: 0,
    revenueMinor: 0,
    marginMinor: 0,
    discountMinor: 0,
    redeemed: false,
    redeemedRevenueMinor: 0,
  };
  for (const o of u.orders) {
    if (o.offsetMs >= t) continue;
    out.orders++;
    out.revenueMinor += o.revenueMinor;
    out.marginMinor += o.marginMinor;
    out.discountMinor += o.discountMinor;
    if (o.redeemed) {
      out.redeemed = true;
      out.redeemedRevenueMinor += o.revenueMinor;
    }
  }
  return out;
}
