import { describe, expect, it } from "vitest";
import { predictCustomer, scoreCustomers } from "../../../app/analytics/customers/index";
import { mulberry32 } from "../../../app/analytics/rng";
import type { Order } from "../../../app/analytics/types";
import { simulateShop } from "./simulate";

const DAY = 86_400_000;
const start = Date.UTC(2023, 0, 1);
const asOf = start + 540 * DAY;
const orders = simulateShop(mulberry32(8), {
  customers: 500,
  days: 540,
  acquisitionDays: 400,
  startMs: start,
  bg: { r: 1.2, alpha: 5, a: 1, b: 6 },
  spend: { p: 5, q: 4, gamma: 60 },
});

describe("predictCustomer: one customer from stored parameters", () => {
  const result = scoreCustomers(orders, { asOf, horizonDays: 90, rng: mulberry32(1) });
  const fitted = JSON.parse(JSON.stringify(result.fitted));
  const byCustomer = new Map<string, Order[]>();
  for (const o of orders) byCustomer.set(o.customer, [...(byCustomer.get(o.customer) ?? []), o]);

  it("matches the batch row for every customer: pPurchase, next order, value at stake", () => {
    expect(fitted.propensity).toBeDefined();
    for (const row of result.customers) {
      const one = predictCustomer(fitted, byCustomer.get(row.customer)!, asOf)!;
      expect(one.pPurchase).toBe(row.pPurchase);
      expect(one.nextOrder).toEqual(row.nextOrder);
      expect(one.spendPerPeriod).toBe(row.spendPerPeriod);
      expect(one.valueAtStake).toBe(row.valueAtStake);
      expect(row.explanation.startsWith("lapsed heavy buyer")).toBe(one.worthWinBack);
    }
  });

  it("sees a new order: a customer who just ordered becomes more likely to order again", () => {
    const lapsed = result.customers.find((c) => c.pPurchase < 0.2 && byCustomer.get(c.customer)!.length >= 3)!;
    const own = byCustomer.get(lapsed.customer)!;
    const fresh: Order = { ...own[own.length - 1], id: "new", at: asOf - DAY };
    const after = predictCustomer(fitted, [...own, fresh], asOf)!;
    expect(after.pPurchase).toBeGreaterThan(lapsed.pPurchase);
  });

  it("is null for a customer with no order before asOf", () => {
    expect(predictCustomer(fitted, [], asOf)).toBeNull();
  });
});
