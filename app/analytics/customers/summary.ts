/**
 * Turns raw orders into the per-customer history every customer model starts from. Orders at or
 * after `asOf` are ignored (docs/contracts.md §4: only orders created before `--as-of` may be used).
 */
import type { Order } from "../types";
import { DAY_MS } from "../time";

export const WEEK_DAYS = 7;

/** One customer's purchase history up to `asOf`. */
export interface CustomerHistory {
  customer: string;
  /** Orders before asOf (not merged). */
  orderCount: number;
  /** Distinct purchase days (UTC), ascending, as day indices since the epoch. */
  purchaseDays: number[];
  /** Revenue per purchase day in major units, aligned with `purchaseDays` (same-day orders merged). */
  dayValues: number[];
  totalSpend: number;
  firstAt: number;
  lastAt: number;
  /** BG/NBD inputs in weeks: repeat purchase days, time of last and time since first purchase. */
  x: number;
  tx: number;
  T: number;
  /** Whole days from the last purchase day to asOf's last included day (0 = bought that day). */
  recencyDays: number;
  /** Whole days from the first purchase day to asOf's last included day. */
  tenureDays: number;
  /** Mean gap between purchase days, days; null for one-time buyers. */
  meanGapDays: number | null;
  /** Mean value of the repeat purchase days (excludes the first), major units; null without repeats. */
  meanRepeatValue: number | null;
}

export function dayIndex(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

/**
 * The last whole day that can hold orders before `asOf`. Measuring T up to this day (rather than to
 * asOf itself) is the convention of the published CDNOW fit: with `asOf` = 1997-10-01T00:00Z a
 * customer who first bought on 1997-01-01 has T = 272 days = 38.86 weeks, as in the paper's data.
 */
export function lastObservedDay(asOf: number): number {
  return dayIndex(asOf - 1);
}

/** Minor units → major units (cents → dollars); negative totals (net refunds) count as 0 spend. */
export function toMajor(minor: number): number {
  return Number.isFinite(minor) && minor > 0 ? minor / 100 : 0;
}

/**
 * Groups orders by customer and derives the BG/NBD/RFM statistics. Same-day orders are merged into
 * one transaction, time is in weeks (days / 7) from each customer's first purchase day, and x counts
 * repeat purchase days (Fader, Hardie & Lee 2005). Output is sorted by customer key so everything
 * downstream is deterministic regardless of input order.
 */
export function summarizeCustomers(orders: readonly Order[], asOf: number): CustomerHistory[] {
  const endDay = lastObservedDay(asOf);
  const byCustomer = new Map<string, Order[]>();
  for (const order of orders) {
    if (!order || !Number.isFinite(order.at) || order.at >= asOf) continue;
    if (typeof order.customer !== "string" || order.customer === "") continue;
    let list = byCustomer.get(order.customer);
    if (!list) byCustomer.set(order.customer, (list = []));
    list.push(order);
  }
  const keys = [...byCustomer.keys()].sort();
  return keys.map((customer) => summarizeOne(customer, byCustomer.get(customer)!, endDay));
}

function summarizeOne(customer: string, orders: Order[], endDay: number): CustomerHistory {
  orders.sort((p, q) => p.at - q.at);
  const purchaseDays: number[] = [];
  const dayValues: number[] = [];
  let totalSpend = 0;
  for (const order of orders) {
    const day = dayIndex(order.at);
    const value = toMajor(order.totalMinor);
    totalSpend += value;
    if (purchaseDays.length > 0 && purchaseDays[purchaseDays.length - 1] === day) {
      dayValues[dayValues.length - 1] += value;
    } else {
      purchaseDays.push(day);
      dayValues.push(value);
    }
  }
  const first = purchaseDays[0];
  const last = purchaseDays[purchaseDays.length - 1];
  const x = purchaseDays.length - 1;
  let meanRepeatValue: number | null = null;
  if (x > 0) {
    let s = 0;
    for (let i = 1; i < dayValues.length; i++) s += dayValues[i];
    meanRepeatValue = s / x;
  }
  return {
    customer,
    orderCount: orders.length,
    purchaseDays,
    dayValues,
    totalSpend,
    firstAt: orders[0].at,
    lastAt: orders[orders.length - 1].at,
    x,
    tx: (last - first) / WEEK_DAYS,
    T: Math.max(0, endDay - first) / WEEK_DAYS,
    recencyDays: Math.max(0, endDay - last),
    tenureDays: Math.max(0, endDay - first),
    meanGapDays: x > 0 ? (last - first) / x : null,
    meanRepeatValue,
  };
}

/** Customers (keys) with at least one order in [from, to). */
export function buyersBetween(orders: readonly Order[], from: number, to: number): Set<string> {
  const out = new Set<string>();
  for (const o of orders) if (o && o.at >= from && o.at < to && o.customer) out.add(o.customer);
  return out;
}

/** Distinct purchase days per customer in [from, to): the holdout "transactions" count. */
export function purchaseDaysBetween(orders: readonly Order[], from: number, to: number): Map<string, number> {
  const days = new Map<string, Set<number>>();
  for (const o of orders) {
    if (!o || !(o.at >= from && o.at < to) || !o.customer) continue;
    let s = days.get(o.customer);
    if (!s) days.set(o.customer, (s = new Set()));
    s.add(dayIndex(o.at));
  }
  const out = new Map<string, number>();
  for (const [k, s] of days) out.set(k, s.size);
  return out;
}
