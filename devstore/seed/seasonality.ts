/**
 * Demand seasonality of a small coffee & tea shop: a weekly cycle, a slow summer, a strong
 * November–December (Black Friday / Cyber Monday, then gifting until the shipping cut-off) and a
 * daily rhythm (lunch and evening peaks in the shop's time zone).
 */
import type { Rng } from "./random";
import { cumulative, pickWeighted } from "./random";
import { DAY_MS } from "../../app/analytics/time";

/** Sunday … Saturday. */
const WEEKDAY = [1.05, 1.15, 1.05, 1.0, 0.95, 0.85, 0.85];
/** January … December. */
const MONTH = [0.85, 0.85, 0.9, 0.9, 0.95, 0.85, 0.8, 0.85, 0.95, 1.0, 1.55, 1.75];

/** Demand multiplier for the (UTC) calendar day containing `ms`; averages ≈ 1 over a year. */
export function seasonalFactor(ms: number): number {
  const d = new Date(ms);
  const month = d.getUTCMonth();
  const day = d.getUTCDate();
  let f = WEEKDAY[d.getUTCDay()] * MONTH[month];
  if ((month === 10 && day >= 24) || (month === 11 && day <= 2)) f *= 1.6; // BFCM week
  if (month === 11 && day >= 22) f *= 0.55; // after the last shipping day before Christmas
  return f;
}

/**
 * Day-indexed seasonal factors for a window, so the hot loops of the generator do not build Date
 * objects. Times outside the window fall back to `seasonalFactor`.
 */
export class SeasonTable {
  readonly max: number;
  private readonly firstDay: number;
  private readonly factors: Float64Array;

  constructor(startMs: number, endMs: number) {
    this.firstDay = Math.floor(startMs / DAY_MS);
    const days = Math.max(1, Math.ceil(endMs / DAY_MS) - this.firstDay + 1);
    this.factors = new Float64Array(days);
    let max = 0;
    for (let i = 0; i < days; i++) {
      this.factors[i] = seasonalFactor((this.firstDay + i) * DAY_MS);
      max = Math.max(max, this.factors[i]);
    }
    this.max = max;
  }

  at(ms: number): number {
    const i = Math.floor(ms / DAY_MS) - this.firstDay;
    return i >= 0 && i < this.factors.length ? this.factors[i] : seasonalFactor(ms);
  }

  /**
   * Next event time of a Poisson process with intensity `rate × factor(t)` per day after `fromMs`
   * (thinning); Infinity once past `untilMs`.
   */
  nextArrival(rng: Rng, fromMs: number, ratePerDay: number, untilMs: number): number {
    if (!(ratePerDay > 0)) return Infinity;
    const bound = ratePerDay * Math.max(this.max, 1e-9);
    let t = fromMs;
    for (;;) {
      t += (-Math.log(1 - rng()) / bound) * DAY_MS;
      if (t >= untilMs) return Infinity;
      if (rng() * this.max < this.at(t)) return t;
    }
  }

  /** A time in [fromMs, untilMs) drawn proportionally to seasonal demand. */
  sampleTime(rng: Rng, fromMs: number, untilMs: number): number {
    if (untilMs <= fromMs) return fromMs;
    for (let i = 0; i < 64; i++) {
      const t = fromMs + rng() * (untilMs - fromMs);
      if (rng() * this.max < this.at(t)) return t;
    }
    return fromMs + rng() * (untilMs - fromMs);
  }
}

/** Share of orders per local hour: quiet nights, a lunch bump and an evening peak. */
const HOURLY = cumulative([
  0.6, 0.35, 0.2, 0.15, 0.15, 0.25, 0.6, 1.2, 1.9, 2.3, 2.6, 2.9, 3.4, 3.3, 2.9, 2.7, 2.7, 2.9, 3.4, 4.0, 4.3, 3.9, 2.7,
  1.4,
]);

/**
 * Moves `ms` to a realistic time of day on the same local calendar day (UTC offset in hours, e.g.
 * −5 for New York in winter; DST is ignored — a one-hour shift does not matter here).
 */
export function atRealisticHour(rng: Rng, ms: number, utcOffsetHours: number): number {
  const offset = utcOffsetHours * 3_600_000;
  const localDayStart = Math.floor((ms + offset) / DAY_MS) * DAY_MS - offset;
  const hour = pickWeighted(rng, HOURLY);
  return localDayStart + hour * 3_600_000 + Math.floor(rng() * 3_600_000);
}
