import { median } from "../stats";
import { type Interactions } from "./interactions";
import { DAY_MS } from "../time";

/**
 * Buy-again ("replenishment") scores: how likely a customer re-orders something they already own.
 * On real purchase logs a customer's own history is the strongest signal for repeats, so this
 * component dominates "for you" and is then blended with collaborative discovery.
 *
 *   score(c, i) = ρ_i · Σ_occasions 0.5^(age / halfLife) · due(c, i)
 *
 * - ρ_i: the product's repeat propensity, the share of its buyers who bought it on ≥ 2 days,
 *   shrunk towards the shop-wide rate (prior strength 5 buyers) — durable goods bought once get
 *   a low ρ, consumables a high one.
 * - the decayed occasion count rewards frequent and recent purchases (TIFU-KNN-style).
 * - due(c, i): when a repurchase interval is known (the customer's own median gap, else the
 *   product's median gap across customers), items that are "due" get a mild boost and items
 *   long overdue fade (they were probably replaced by something else).
 */
export interface BuyAgainOptions {
  halfLifeDays: number;
  /** Whether to apply the repurchase-interval factor. */
  useInterval: boolean;
}

export interface BuyAgainEntry {
  item: number;
  score: number;
  occasions: number;
  daysSinceLast: number;
  /** Typical days between repurchases, null when unknown. */
  intervalDays: number | null;
  /** Whether the interval is the customer's own (vs the product's typical one). */
  ownInterval: boolean;
}

/** Per-item statistics shared by all customers. */
export interface RepeatStats {
  propensity: Float64Array;
  /** Median days between repurchases across customers; NaN when fewer than 3 gaps were seen. */
  medianIntervalDays: Float64Array;
  shopRepeatRate: number;
}

/** Per-item repeat propensity and median repurchase interval. */
export function repeatStats(data: Interactions): RepeatStats {
  const n = data.items.length;
  const buyers = new Float64Array(n);
  const repeaters = new Float64Array(n);
  const gaps: number[][] = Array.from({ length: n }, () => []);
  data.customerItems.forEach((items, c) => {
    items.forEach((item, k) => {
      const times = data.customerItemTimes[c][k];
      buyers[item]++;
      if (times.length >= 2) repeaters[item]++;
      for (let t = 1; t < times.length; t++) gaps[item].push((times[t] - times[t - 1]) / DAY_MS);
    });
  });
  let totalBuyers = 0;
  let totalRepeaters = 0;
  for (let i = 0; i < n; i++) {
    totalBuyers += buyers[i];
    totalRepeaters += repeaters[i];
  }
  const shopRepeatRate = totalBuyers > 0 ? (totalRepeaters + 1) / (totalBuyers + 2) : 0.5;
  const prior = 5;
  const propensity = new Float64Array(n);
  const medianIntervalDays = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    propensity[i] = (repeaters[i] + prior * shopRepeatRate) / (buyers[i] + prior);
    medianIntervalDays[i] = gaps[i].length >= 3 ? median(gaps[i]) : NaN;
  }
  return { propensity, medianIntervalDays, shopRepeatRate };
}

/** Buy-again entries for one customer (owned items only), unsorted. */
export function buyAgainScores(
  data: Interactions,
  stats: RepeatStats,
  customer: number,
  opts: BuyAgainOptions,
): BuyAgainEntry[] {
  const halfLifeMs = opts.halfLifeDays * DAY_MS;
  const items = data.customerItems[customer];
  const out: BuyAgainEntry[] = [];
  items.forEach((item, k) => {
    const times = data.customerItemTimes[customer][k];
    let decayed = 0;
    for (const t of times) decayed += Math.pow(0.5, (data.asOf - t) / halfLifeMs);
    const daysSinceLast = (data.asOf - times[times.length - 1]) / DAY_MS;
    const own = times.length >= 2 ? median(times.slice(1).map((t, g) => (t - times[g]) / DAY_MS)) : NaN;
    const interval = Number.isFinite(own) ? own : stats.medianIntervalDays[item];
    const intervalDays = Number.isFinite(interval) ? interval : null;
    const due = opts.useInterval && intervalDays !== null ? dueFactor(daysSinceLast / Math.max(intervalDays, 1)) : 1;
    out.push({
      item,
      score: stats.propensity[item] * decayed * due,
      occasions: times.length,
      daysSinceLast,
      intervalDays,
      ownInterval: Number.isFinite(own),
    });
  });
  return out;
}

/**
 * Gentle hazard-shaped multiplier on elapsed/interval: 0.75 right after a purchase, rising to 1.25
 * when due, then fading slowly (halved at ~4 intervals overdue). Kept mild on purpose: the interval
 * estimate from a handful of gaps is noisy.
 */
export function dueFactor(ratio: number): number {
  if (ratio <= 1) return 0.75 + 0.5 * ratio;
  return 1.25 / (1 + (ratio - 1) / 3);
}
