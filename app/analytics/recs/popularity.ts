import { type Interactions } from "./interactions";
import { DAY_MS } from "../time";

/** Time-decayed popularity: the fallback that pads every list to full length. */
export interface Popularity {
  /** Σ over orders containing the item of 0.5^(age / halfLife). */
  scores: Float64Array;
  /** Distinct customers who bought the item in the last `windowDays` before as-of (for reasons). */
  recentCustomers: Int32Array;
  /** Distinct customers who ever bought the item. */
  allCustomers: Int32Array;
  windowDays: number;
}

/**
 * Half-life decay makes last month's bestsellers outrank last year's without a hard cut-off, so
 * seasonal shops and shops with little recent data both get a sensible fallback.
 */
export function popularity(data: Interactions, halfLifeDays: number, windowDays = 30): Popularity {
  const n = data.items.length;
  const scores = new Float64Array(n);
  const recentCustomers = new Int32Array(n);
  const halfLifeMs = halfLifeDays * DAY_MS;
  const windowStart = data.asOf - windowDays * DAY_MS;
  data.baskets.forEach((basket, b) => {
    const weight = Math.pow(0.5, (data.asOf - data.basketAt[b]) / halfLifeMs);
    for (const i of basket) scores[i] += weight;
  });
  data.customerItemTimes.forEach((perItem, c) => {
    perItem.forEach((times, k) => {
      if (times[times.length - 1] >= windowStart) recentCustomers[data.customerItems[c][k]]++;
    });
  });
  const allCustomers = Int32Array.from(data.itemCustomers, (rows) => rows.length);
  return { scores, recentCustomers, allCustomers, windowDays };
}
