import { bootstrapGroupMeans, drawQuantiles, mean, quantileSorted as quantile } from "../stats";
import type { Rng } from "../types";
import type { ArmSummary, Interval, Measurement, UnitOutcome } from "./types";

/** One order line as measurement needs it. */
export interface EconomicsLine {
  quantity: number;
  refundedQty: number;
  unitPriceMinor: number;
  /** Unit cost from the variant; null = unknown (the merchant margin setting is used). */
  unitCostMinor: number | null;
}

/**
 * Revenue and gross margin of one order after its discounts and refunds. Discounts (including an
 * automation's code) reduce revenue, so margin is "after discount cost"; a refunded unit gives
 * back its revenue, its cost and its share of the order's discount. Shipping and tax are excluded.
 */
export function orderEconomics(
  order: { lines: readonly EconomicsLine[]; discountMinor: number },
  marginShare: number,
): { revenueMinor: number; marginMinor: number; discountMinor: number } {
  let gross = 0;
  let keptGross = 0;
  let cost = 0;
  for (const l of order.lines) {
    const kept = Math.max(0, l.quantity - l.refundedQty);
    gross += l.unitPriceMinor * l.quantity;
    keptGross += l.unitPriceMinor * kept;
    const unitCost = l.unitCostMinor ?? l.unitPriceMinor * (1 - marginShare);
    cost += unitCost * kept;
  }
  const discount = gross > 0 ? order.discountMinor * (keptGross / gross) : 0;
  const revenue = keptGross - discount;
  return { revenueMinor: revenue, marginMinor: revenue - cost, discountMinor: discount };
}

/** Below these, every interval is noise: results say "not enough data" (readiness.ts predicts when). */
export const MIN_PER_ARM = 20;
export const MIN_CONVERTERS = 10;

export interface MeasureOptions {
  rng: Rng;
  /** Two-sided interval level (default 0.9). */
  level?: number;
  resamples?: number;
  /** Minimum customers per arm before any effect is reported (default 20). */
  minPerArm?: number;
  /** Minimum buyers across both arms (default 10): with fewer, every interval is noise. */
  minConverters?: number;
  /** The window's end when it is still open (the result is then INTERIM), else null. */
  windowOpenUntil: string | null;
}

/**
 * Treatment vs holdout on the customers of one or more runs. Every customer had the same holdout
 * probability, so plain differences of arm means estimate the average effect of the offer on the
 * treated. Intervals: percentile bootstrap, resampling customers within each arm (the design
 * fixed the arms), with the injected rng; the total is the per-customer lift × treated customers.
 */
export function measureEffect(units: readonly UnitOutcome[], opts: MeasureOptions): Measurement {
  const level = opts.level ?? 0.9;
  const resamples = opts.resamples ?? 1000;
  const minPerArm = opts.minPerArm ?? MIN_PER_ARM;
  const minConverters = opts.minConverters ?? MIN_CONVERTERS;
  const t = units.filter((u) => u.arm === "TREATMENT");
  const h = units.filter((u) => u.arm === "HOLDOUT");
  const treatment = summarize(t);
  const holdout = summarize(h);
  const redeemed = t.filter((u) => u.redeemed);
  const redemptions = {
    count: redeemed.length,
    rate: t.length ? redeemed.length / t.length : 0,
    attributedRevenueMinor: Math.round(redeemed.reduce((s, u) => s + u.redeemedRevenueMinor, 0)),
  };

  const reasons: string[] = [];
  if (t.length < minPerArm || h.length < minPerArm) {
    reasons.push(
      `Each group needs at least ${minPerArm} customers to compare; this has ${t.length} treated and ${h.length} held out. Later runs add to it.`,
    );
  }
  const converters = treatment.converters + holdout.converters;
  if (converters < minConverters) {
    reasons.push(
      `Only ${converters} of the ${units.length} customers have bought since the offer; at least ${minConverters} purchases are needed.`,
    );
  }
  if (reasons.length) {
    if (opts.windowOpenUntil) reasons.push(`The measurement window is open until ${opts.windowOpenUntil}.`);
    return { status: "INSUFFICIENT", reasons, level, treatment, holdout, redemptions, effect: null };
  }

  const effect = bootstrapEffect(t, h, opts.rng, resamples, level);
  const status = opts.windowOpenUntil ? "INTERIM" : "FINAL";
  if (opts.windowOpenUntil)
    reasons.push(
      `Interim result: the measurement window is open until ${opts.windowOpenUntil}; customers can still buy.`,
    );
  return { status, reasons, level, treatment, holdout, redemptions, effect };
}

function summarize(units: readonly UnitOutcome[]): ArmSummary {
  const n = units.length;
  const converters = units.filter((u) => u.orders > 0).length;
  const mean = (f: (u: UnitOutcome) => number) => (n ? units.reduce((s, u) => s + f(u), 0) / n : 0);
  return {
    customers: n,
    converters,
    conversionRate: n ? converters / n : 0,
    revenuePerCustomerMinor: mean((u) => u.revenueMinor),
    marginPerCustomerMinor: mean((u) => u.marginMinor),
    discountPerCustomerMinor: mean((u) => u.discountMinor),
  };
}

/** Percentile-bootstrap intervals of treatment − holdout (customers resampled within arm); also used by series.ts. */
export function bootstrapEffect(
  t: readonly UnitOutcome[],
  h: readonly UnitOutcome[],
  rng: Rng,
  resamples: number,
  level: number,
) {
  const cols = (units: readonly UnitOutcome[]) => [
    Float64Array.from(units, (u) => (u.orders > 0 ? 1 : 0)),
    Float64Array.from(units, (u) => u.revenueMinor),
    Float64Array.from(units, (u) => u.marginMinor),
  ];
  const ct = cols(t);
  const ch = cols(h);
  const [dt, dh] = bootstrapGroupMeans([{ columns: ct }, { columns: ch }], rng, resamples);
  const alpha = (1 - level) / 2;
  const interval = (c: number): Interval => {
    const d = dt[c].map((v, b) => v - dh[c][b]);
    const [low, high] = drawQuantiles(d, [alpha, 1 - alpha]);
    return { estimate: mean(ct[c]) - mean(ch[c]), low, high };
  };
  const margin = interval(2);
  const positive = dt[2].filter((v, b) => v - dh[2][b] > 0).length;
  const n = t.length;
  return {
    conversionLift: interval(0),
    revenuePerCustomerMinor: interval(1),
    marginPerCustomerMinor: margin,
    totalIncrementalMarginMinor: { estimate: margin.estimate * n, low: margin.low * n, high: margin.high * n },
    probabilityPositive: positive / resamples,
  };
}

export { quantile };
