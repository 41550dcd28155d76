import type { Order } from "../types";

export const DAY_MS = 86_400_000;

/**
 * Integer-indexed view of the order history used by every recommender. Items are sorted by SKU
 * so that every tie in every ranking breaks the same way on every run (determinism).
 */
export interface Interactions {
  asOf: number;
  items: string[];
  itemIndex: Map<string, number>;
  customers: string[];
  customerIndex: Map<string, number>;
  /** Distinct item ids per order (a "basket"). */
  baskets: Int32Array[];
  basketAt: Float64Array;
  basketCustomer: Int32Array;
  /** Distinct item ids per customer (sorted ascending). */
  customerItems: Int32Array[];
  /** Per customer, per entry of `customerItems`: purchase times (ms, ascending, same-day orders merged). */
  customerItemTimes: number[][][];
  /** Per customer: number of orders and time of last order. */
  customerOrderCount: Int32Array;
  customerLastAt: Float64Array;
  /** Inverted indexes: sorted customer ids / basket ids per item. */
  itemCustomers: Int32Array[];
  itemBaskets: Int32Array[];
}

/**
 * Builds the index from orders created strictly before `asOf` (later ones are ignored so that
 * callers cannot leak the future by accident). `extraItems` (e.g. the catalogue) join the item
 * universe even when never sold, so cold-start products can be recommended.
 */
export function buildInteractions(orders: Order[], asOf: number, extraItems: Iterable<string> = []): Interactions {
  const past = orders
    .filter((o) => o.at < asOf)
    .sort((x, y) => x.at - y.at || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  const skuSet = new Set<string>(extraItems);
  const customerSet = new Set<string>();
  for (const o of past) {
    customerSet.add(o.customer);
    for (const l of o.lines) skuSet.add(l.sku);
  }
  const items = [...skuSet].sort(compareStrings);
  const itemIndex = new Map(items.map((sku, i) => [sku, i]));
  const customers = [...customerSet].sort(compareStrings);
  const customerIndex = new Map(customers.map((c, i) => [c, i]));

  const baskets: Int32Array[] = [];
  const basketAt = new Float64Array(past.length);
  const basketCustomer = new Int32Array(past.length);
  const perCustomer: Map<number, number[]>[] = customers.map(() => new Map());
  const customerOrderCount = new Int32Array(customers.length);
  const customerLastAt = new Float64Array(customers.length);
  past.forEach((o, b) => {
    const ids = [...new Set(o.lines.map((l) => itemIndex.get(l.sku)!))].sort((x, y) => x - y);
    const c = customerIndex.get(o.customer)!;
    baskets.push(Int32Array.from(ids));
    basketAt[b] = o.at;
    basketCustomer[b] = c;
    customerOrderCount[c]++;
    customerLastAt[c] = Math.max(customerLastAt[c], o.at);
    for (const i of ids) {
      const times = perCustomer[c].get(i);
      // Two orders of the same item on the same day are one purchase occasion, not a repurchase.
      if (times === undefined) perCustomer[c].set(i, [o.at]);
      else if (o.at - times[times.length - 1] >= DAY_MS) times.push(o.at);
    }
  });

  const customerItems: Int32Array[] = [];
  const customerItemTimes: number[][][] = [];
  for (const map of perCustomer) {
    const ids = [...map.keys()].sort((x, y) => x - y);
    customerItems.push(Int32Array.from(ids));
    customerItemTimes.push(ids.map((i) => map.get(i)!));
  }
  return {
    asOf,
    items,
    itemIndex,
    customers,
    customerIndex,
    baskets,
    basketAt,
    basketCustomer,
    customerItems,
    customerItemTimes,
    customerOrderCount,
    customerLastAt,
    itemCustomers: invert(customerItems, items.length),
    itemBaskets: invert(baskets, items.length),
  };
}

/** rows → per-item sorted row lists. */
export function invert(rows: Int32Array[], itemCount: number): Int32Array[] {
  const counts = new Int32Array(itemCount);
  for (const row of rows) for (const i of row) counts[i]++;
  const out = Array.from(counts, (n) => new Int32Array(n));
  const fill = new Int32Array(itemCount);
  rows.forEach((row, r) => {
    for (const i of row) out[i][fill[i]++] = r;
  });
  return out;
}

/** Size of the intersection of two ascending Int32Arrays (exact co-occurrence counts for reasons). */
export function intersectionSize(a: Int32Array, b: Int32Array): number {
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      n++;
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return n;
}

/** Locale-independent string order (`localeCompare` differs between ICU builds). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
