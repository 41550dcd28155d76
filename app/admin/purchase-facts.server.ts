import { summarizeCustomers } from "../analytics/customers";
import { calendarDaysBetween, DAY_MS, shopClock } from "../analytics/time";
import type { Order } from "../analytics/types";

/**
 * A customer's purchase facts as the models saw them, for the pages that explain a score: the
 * same orders (`listCustomerOrdersForScoring`), the same summary function and the same day count
 * (calendar days in the shop's timezone, D36) as the explanation stored with the score — so "51
 * purchase days" on the page and in the explanation are one number, not two computations.
 */
export interface PurchaseFacts {
  orders: number;
  purchaseDays: number;
  spendMinor: number;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
  /** Calendar days from the last purchase day to the last day before `asOf` (0 = that day). */
  recencyDays: number | null;
  /** The usual gap, rounded as the explanation rounds it; null below two purchase days. */
  gapDays: number | null;
  /** The day the usual gap after the last order falls on (a shop-calendar date, as UTC midnight). */
  dueDate: Date | null;
  overdue: boolean;
}

export function purchaseFacts(
  orders: readonly Order[],
  asOf: Date,
  timeZone: string | null | undefined,
): PurchaseFacts {
  const clock = shopClock(timeZone);
  const shifted = orders.map((o) => ({ ...o, at: clock(o.at) }));
  const h = summarizeCustomers(shifted, clock(asOf.getTime()))[0];
  if (!h) {
    return {
      orders: 0,
      purchaseDays: 0,
      spendMinor: 0,
      firstOrderAt: null,
      lastOrderAt: null,
      recencyDays: null,
      gapDays: null,
      dueDate: null,
      overdue: false,
    };
  }
  const own = orders.filter((o) => o.at < asOf.getTime()).map((o) => o.at);
  const gapDays = h.meanGapDays === null ? null : Math.max(1, Math.round(h.meanGapDays));
  const lastDay = h.purchaseDays[h.purchaseDays.length - 1];
  const dueDay = gapDays === null ? null : lastDay + gapDays;
  return {
    orders: h.orderCount,
    purchaseDays: h.purchaseDays.length,
    spendMinor: Math.round(h.totalSpend * 100),
    firstOrderAt: new Date(Math.min(...own)),
    lastOrderAt: new Date(Math.max(...own)),
    recencyDays: h.recencyDays,
    gapDays,
    dueDate: dueDay === null ? null : new Date(dueDay * DAY_MS),
    overdue: dueDay !== null && dueDay < lastDay + h.recencyDays,
  };
}

/** Calendar days between two consecutive orders on the timeline (0 = same day), shop timezone. */
export function daysBetweenOrders(earlier: Date, later: Date, timeZone: string | null | undefined): number {
  return calendarDaysBetween(earlier.getTime(), later.getTime(), timeZone);
}
