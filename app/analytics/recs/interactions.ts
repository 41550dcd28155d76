import type { Order } from "../types";
import { DAY_MS } from "../time";

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
  const past = orders.filter((o) => o.at < asOf);
  // Callers usually pass time-sorted orders (the CSV path does); only sort when needed.
  let sorted = true;
  for (let b = 1; b < past.length && sorted; b++) sorted = compareOrders(past[b - 1], past[b]) <= 0;
  if (!sorted) past.sort(compareOrders);
  const skuSet = new Set<string>(extraItems);
  const customerSet = new Set<string>();
  let maxLines = 0;
  for (const o of past) {
    customerSet.add(o.customer);
    for (const l of o.lines) skuSet.add(l.sku);
    if (o.lines.length > maxLines) maxLines = o.lines.length;
  }
  const items = [...skuSet].sort(compareStrings);
  const itemIndex = new Map(items.map((sku, i) => [sku, i]));
  const customers = [...customerSet].sort(compareStrings);
  const customerIndex = new Map(customers.map((c, i) => [c, i]));

  const baskets: Int32Array[] = new Array(past.length);
  const basketAt = new Float64Array(past.length);
  const basketCustomer = new Int32Array(past.length);
  const customerOrderCount = new Int32Array(customers.length);
  const customerLastAt = new Float64Array(customers.length);
  const scratch = new Int32Array(Math.max(1, maxLines));
  // All baskets are views into one buffer: 10⁵ small typed arrays with their own backing stores
  // cost more in allocation and GC bookkeeping than the indexing itself.
  let lineTotal = 0;
  for (const o of past) lineTotal += o.lines.length;
  const basketStore = new Int32Array(lineTotal);
  let used = 0;
  for (let b = 0; b < past.length; b++) {
    const o = past[b];
    // Distinct item ids of the order, ascending (insertion sort: orders have a handful of lines).
    let len = 0;
    for (const l of o.lines) {
      const id = itemIndex.get(l.sku)!;
      let p = len;
      while (p > 0 && scratch[p - 1] > id) p--;
      if (p > 0 && scratch[p - 1] === id) continue;
      for (let q = len; q > p; q--) scratch[q] = scratch[q - 1];
      scratch[p] = id;
      len++;
    }
    basketStore.set(scratch.subarray(0, len), used);
    const c = customerIndex.get(o.customer)!;
    baskets[b] = basketStore.subarray(used, used + len);
    used += len;
    basketAt[b] = o.at;
    basketCustomer[b] = c;
    customerOrderCount[c]++;
    customerLastAt[c] = Math.max(customerLastAt[c], o.at);
  }

  // Per customer: distinct items and their purchase times. The customer's (item, order) pairs are
  // sorted by item with the order's position as tie-break (= time order), via one numeric key per
  // pair: item · 2²¹ + position (exact in a double for < 2²¹ pairs per customer).
  const basketStart = new Int32Array(customers.length + 1);
  for (let b = 0; b < past.length; b++) basketStart[basketCustomer[b] + 1]++;
  for (let c = 0; c < customers.length; c++) basketStart[c + 1] += basketStart[c];
  const basketsByCustomer = new Int32Array(past.length);
  const fill = basketStart.slice(0, customers.length);
  for (let b = 0; b < past.length; b++) basketsByCustomer[fill[basketCustomer[b]]++] = b;
  const customerItems: Int32Array[] = new Array(customers.length);
  const customerItemTimes: number[][][] = new Array(customers.length);
  for (let c = 0; c < customers.length; c++) {
    const own = basketsByCustomer.subarray(basketStart[c], basketStart[c + 1]);
    let pairs = 0;
    for (let t = 0; t < own.length; t++) pairs += baskets[own[t]].length;
    const keys = new Float64Array(pairs);
    const when = new Float64Array(pairs);
    let n = 0;
    for (let t = 0; t < own.length; t++) {
      const basket = baskets[own[t]];
      for (let q = 0; q < basket.length; q++) {
        keys[n] = basket[q] * 2097152 + n;
        when[n] = basketAt[own[t]];
        n++;
      }
    }
    keys.sort();
    const ids: number[] = [];
    const times: number[][] = [];
    let current = -1;
    let list: number[] = [];
    for (let q = 0; q < n; q++) {
      const item = Math.floor(keys[q] / 2097152);
      const at = when[keys[q] - item * 2097152];
      if (item !== current) {
        current = item;
        ids.push(item);
        times.push((list = [at]));
      } else if (at - list[list.length - 1] >= DAY_MS) {
        // Two orders of the same item on the same day are one purchase occasion, not a repurchase.
        list.push(at);
      }
    }
    customerItems[c] = Int32Array.from(ids);
    customerItemTimes[c] = times;
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

/** Time, then id: the order every index is built in. */
function compareOrders(x: Order, y: Order): number {
  return x.at - y.at || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);
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
