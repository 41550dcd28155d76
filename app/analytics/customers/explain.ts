/** Plain-language explanation of a customer's score, for the admin and customers.jsonl. */
import type { CustomerHistory } from "./summary";

function daysAgo(days: number): string {
  if (days <= 0) return "today";
  if (days === 1) return "yesterday";
  return `${days} days ago`;
}

function chance(p: number, horizonDays: number): string {
  const pct = p < 0.01 ? "<1" : p > 0.99 ? ">99" : String(Math.round(p * 100));
  return `${pct}% chance of an order in the next ${horizonDays} days`;
}

/** Major units without a currency symbol (the engine does not know the shop's currency). */
function money(v: number): string {
  return v >= 100 ? Math.round(v).toLocaleString("en-US") : v.toFixed(2);
}

/**
 * One sentence built from the facts the models used: purchase rhythm and time since the last order
 * for repeat buyers; for one-time buyers, how often customers like them come back; for lapsed
 * customers with much at stake (`stake.worthWinBack`), what they used to spend — instead of bare zeros.
 */
export function explainCustomer(
  h: CustomerHistory,
  pPurchase: number,
  pAliveValue: number,
  horizonDays: number,
  stake?: { perPeriod: number; worthWinBack: boolean },
): string {
  const H = Math.round(horizonDays);
  if (stake?.worthWinBack) {
    const orders = h.orderCount === 1 ? "1 order" : `${h.orderCount} orders`;
    return `lapsed heavy buyer: ${orders}, last ${daysAgo(h.recencyDays)} — worth a win-back (used to spend ${money(stake.perPeriod)} per ${H} days; ${chance(pPurchase, H)})`;
  }
  if (h.x === 0) {
    const orders = h.orderCount > 1 ? `${h.orderCount} orders on one day` : "one order";
    const outlook =
      pPurchase < 0.1
        ? "customers like this rarely return"
        : pPurchase < 0.3
          ? "some customers like this come back"
          : "customers like this often come back";
    return `${orders} ${daysAgo(h.recencyDays)}; ${outlook} (${chance(pPurchase, H)})`;
  }
  const gap = Math.max(1, Math.round(h.meanGapDays ?? 1));
  const since =
    h.recencyDays <= 0
      ? "ordered today"
      : h.recencyDays === 1
        ? "1 day since the last order"
        : `${h.recencyDays} days since the last order`;
  let rhythm: string;
  if (h.recencyDays <= gap * 1.25) rhythm = "on their usual rhythm";
  else if (pAliveValue < 0.3) rhythm = "well past their usual gap, probably lapsed";
  else if (h.recencyDays <= gap * 2.5) rhythm = "a little overdue";
  else rhythm = "overdue";
  return `${h.purchaseDays.length} purchase days; usually orders every ${gap} days; ${since} — ${rhythm} (${chance(pPurchase, H)})`;
}
