import { describe, expect, it } from "vitest";
import { rescoreCustomer, scoreCustomers } from "../../../app/analytics/customers/index";
import { relativeScore, relativeThresholds } from "../../../app/analytics/customers/rescore";
import { relativeScores } from "../../../app/analytics/customers/rfm";
import { mulberry32 } from "../../../app/analytics/rng";
import type { Order } from "../../../app/analytics/types";
import { simulateShop } from "./simulate";

const DAY = 86_400_000;
const start = Date.UTC(2023, 0, 1);
const shopOptions = {
  bg: { r: 1.5, alpha: 4, a: 1, b: 8 },
  spend: { p: 5, q: 4, gamma: 60 },
};

function byCustomer(orders: Order[]) {
  const out = new Map<string, Order[]>();
  for (const o of orders) out.set(o.customer, [...(out.get(o.customer) ?? []), o]);
  return out;
}

/** Rescoring every customer from the run's fitted params at the run's asOf gives the run's row. */
function expectReproduced(orders: Order[], asOf: number, horizonDays: number) {
  const run = scoreCustomers(orders, { asOf, horizonDays, rng: mulberry32(7) });
  // Through JSON: the params are stored as a JSON column.
  const fitted = JSON.parse(JSON.stringify(run.fitted));
  const own = byCustomer(orders);
  let compared = 0;
  for (const row of run.customers) {
    expect(rescoreCustomer(fitted, row.customer, own.get(row.customer) ?? [], asOf)).toEqual(row);
    compared++;
  }
  return { run, compared };
}

describe("rescoreCustomer", () => {
  it("reproduces every row of a full run exactly (selected model, next order, value at stake, Gamma-Gamma, clusters)", () => {
    const orders = simulateShop(mulberry32(21), {
      customers: 500,
      days: 540,
      acquisitionDays: 420,
      startMs: start,
      ...shopOptions,
    });
    const { run, compared } = expectReproduced(orders, start + 540 * DAY, 90);
    expect(compared).toBe(run.customers.length);
    expect(compared).toBeGreaterThan(300);
    expect(run.model.pPurchaseSource).toBe("selected");
    expect(run.fitted.blend).toBeUndefined();
    expect(run.model.spendModel).toBe("gamma-gamma");
    expect(run.fitted.clusters?.centroids.length).toBeGreaterThan(1);
  });

  it("reproduces a short-history shop (stretched label window) and a tiny one (BG/NBD only)", () => {
    const short = simulateShop(mulberry32(5), {
      customers: 400,
      days: 150,
      acquisitionDays: 120,
      startMs: start,
      ...shopOptions,
    });
    const s = expectReproduced(short, start + 150 * DAY, 180);
    expect(s.run.fitted.propensity?.windowDays).toBeLessThan(180);
    const tiny = simulateShop(mulberry32(3), {
      customers: 12,
      days: 200,
      acquisitionDays: 100,
      startMs: start,
      ...shopOptions,
    });
    const t = expectReproduced(tiny, start + 200 * DAY, 90);
    expect(t.run.fitted.propensity).toBeUndefined();
    expect(t.run.fitted.blend).toBeUndefined();
  });

  it("reproduces the blend fallback (stretched label window) when the history is too short for a selection", () => {
    const young = simulateShop(mulberry32(5), {
      customers: 150,
      days: 40,
      acquisitionDays: 32,
      startMs: start,
      ...shopOptions,
    });
    const { run } = expectReproduced(young, start + 40 * DAY, 90);
    expect(run.model.pPurchaseSource).toBe("blend");
    expect(run.fitted.propensity).toBeUndefined();
    expect(run.fitted.blend?.trainDays).toBeLessThan(90);
    expect(run.fitted.blend?.bgShort).toBeDefined();
  });

  it("follows a new order without refitting: a lapsed customer who orders now is recent again", () => {
    const orders = simulateShop(mulberry32(21), {
      customers: 500,
      days: 540,
      acquisitionDays: 420,
      startMs: start,
      ...shopOptions,
    });
    const asOf = start + 540 * DAY;
    const run = scoreCustomers(orders, { asOf, horizonDays: 90, rng: mulberry32(7) });
    const lapsed = run.customers.find((c) => c.rfm.r === 1 && /days since the last order/.test(c.explanation))!;
    expect(lapsed).toBeDefined();
    const own = orders.filter((o) => o.customer === lapsed.customer);
    const now = asOf + 2 * 3600_000;
    const fresh: Order = {
      id: "new",
      customer: lapsed.customer,
      at: now - 60_000,
      lines: own[0].lines,
      totalMinor: 5000,
    };
    const row = rescoreCustomer(run.fitted, lapsed.customer, [...own, fresh], now)!;
    expect(row.rfm.r).toBe(5);
    expect(row.explanation).toContain("ordered today");
    expect(row.explanation).not.toContain("lapsed");
    expect(row.pPurchase).toBeGreaterThan(lapsed.pPurchase);
  });

  it("returns null for a customer without orders before asOf", () => {
    const orders = simulateShop(mulberry32(3), {
      customers: 12,
      days: 200,
      acquisitionDays: 100,
      startMs: start,
      ...shopOptions,
    });
    const run = scoreCustomers(orders, { asOf: start + 200 * DAY, horizonDays: 90, rng: mulberry32(1) });
    expect(rescoreCustomer(run.fitted, "nobody", [], start + 200 * DAY)).toBeNull();
  });
});

describe("relativeThresholds", () => {
  it("gives each value the score relativeScores gives it, ties and uniform columns included", () => {
    const rng = mulberry32(9);
    for (const n of [1, 2, 5, 7, 23, 100]) {
      const values = Array.from({ length: n }, () => Math.floor(rng() * 6));
      for (const higher of [true, false]) {
        const t = relativeThresholds(values, higher);
        expect(values.map((v) => relativeScore(t, v, higher))).toEqual(relativeScores(values, higher));
      }
    }
  });
});
