import { describe, expect, it } from "vitest";
import {
  isLapsed,
  spendPerPeriod,
  valueAtStake,
  winBackThreshold,
  worthWinBack,
} from "../../../app/analytics/customers/value-at-stake";
import { explainCustomer } from "../../../app/analytics/customers/explain";
import { summarizeCustomers } from "../../../app/analytics/customers/summary";
import type { Order } from "../../../app/analytics/types";

const DAY = 86_400_000;
const asOf = Date.UTC(2025, 0, 1);
const order = (customer: string, daysAgo: number, minor: number): Order => ({
  id: `${customer}-${daysAgo}`,
  customer,
  at: asOf - daysAgo * DAY,
  lines: [],
  totalMinor: minor,
});

describe("value at stake", () => {
  // A heavy buyer: 236 orders every 2 days, the last 600 days ago; a stranger: one $20 order.
  const heavy = Array.from({ length: 236 }, (_, i) => order("heavy", 600 + 2 * i, 8645));
  const [h] = summarizeCustomers(heavy, asOf);
  const [stranger] = summarizeCustomers([order("s", 600, 2000)], asOf);

  it("spend per period is spend over the active span (first to last order plus a usual gap)", () => {
    // 236 purchase days spanning 470 days + a 2-day gap = 472 days; $20,402.20 over that, per 90 days.
    expect(spendPerPeriod(h, 90)).toBeCloseTo((20402.2 * 90) / 472, 6);
    // A one-time buyer's period is one horizon: their order value.
    expect(spendPerPeriod(stranger, 90)).toBeCloseTo(20, 9);
  });

  it("ranks the lapsed heavy buyer far above the stranger even when both are near-certain not to return", () => {
    expect(valueAtStake(spendPerPeriod(h, 90), 0.01)).toBeGreaterThan(
      100 * valueAtStake(spendPerPeriod(stranger, 90), 0.01),
    );
    expect(valueAtStake(100, 1)).toBe(0);
    expect(valueAtStake(100, 0.25)).toBe(75);
  });

  it("explains a lapsed heavy buyer in words, not bare zeros", () => {
    // Recency counts to as-of's last observed day (the day before as-of), hence 599.
    expect(isLapsed(h, 90)).toBe(true);
    const text = explainCustomer(h, 0.001, 0, 90, { perPeriod: spendPerPeriod(h, 90), worthWinBack: true });
    expect(text).toBe(
      "lapsed heavy buyer: 236 orders, last 599 days ago — worth a win-back (used to spend 3,890 per 90 days; <1% chance of an order in the next 90 days)",
    );
  });

  it("only a lapsed repeat buyer at or above the shop's bar is 'worth a win-back', never a one-order stranger", () => {
    const stakes = [valueAtStake(spendPerPeriod(h, 90), 0.01), valueAtStake(spendPerPeriod(stranger, 90), 0.01)];
    const bar = winBackThreshold([h, stranger], stakes, 90);
    expect(bar).toBe(stakes[0]); // the stranger is not in the pool
    expect(worthWinBack(h, stakes[0], bar, 90)).toBe(true);
    expect(worthWinBack(stranger, 1e9, 0, 90)).toBe(false);
  });

  it("is not lapsed while within both the horizon and twice the usual gap", () => {
    const [regular] = summarizeCustomers([order("r", 100, 1000), order("r", 40, 1000)], asOf);
    expect(isLapsed(regular, 90)).toBe(false);
  });
});
