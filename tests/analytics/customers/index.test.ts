import { describe, expect, it } from "vitest";
import { assessSufficiency, RFM_GROUPS, scoreCustomers } from "../../../app/analytics/customers/index";
import { mulberry32 } from "../../../app/analytics/rng";
import type { Order } from "../../../app/analytics/types";
import { simulateShop } from "./simulate";

const DAY = 86_400_000;
const start = Date.UTC(2023, 0, 1);
const asOf = start + 540 * DAY;
const all = simulateShop(mulberry32(21), {
  customers: 600,
  days: 630,
  acquisitionDays: 450,
  startMs: start,
  bg: { r: 1.5, alpha: 4, a: 1, b: 8 },
  spend: { p: 5, q: 4, gamma: 60 },
});
const before = all.filter((o) => o.at < asOf);
const later = all.filter((o) => o.at >= asOf);

describe("scoreCustomers on a simulated shop", () => {
  const result = scoreCustomers(all, { asOf, horizonDays: 90, rng: mulberry32(1), laterOrders: later });

  it("scores exactly the customers with an order before asOf, ignoring later orders", () => {
    const expected = new Set(before.map((o) => o.customer));
    expect(result.customers.map((c) => c.customer).sort()).toEqual([...expected].sort());
    const onlyBefore = scoreCustomers(before, { asOf, horizonDays: 90, rng: mulberry32(1) });
    expect(onlyBefore.customers.map((c) => c.pAlive)).toEqual(result.customers.map((c) => c.pAlive));
  });

  it("keeps probabilities in [0, 1], churnRisk = 1 − pPurchase and clvLow ≤ clv ≤ clvHigh", () => {
    for (const c of result.customers) {
      for (const v of [c.pPurchase, c.pAlive, c.churnRisk]) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
      expect(c.churnRisk).toBeCloseTo(1 - c.pPurchase, 5);
      expect(c.expectedOrders).toBeGreaterThanOrEqual(0);
      expect(c.clvLow).toBeLessThanOrEqual(c.clv);
      expect(c.clvHigh).toBeGreaterThanOrEqual(c.clv);
      expect(c.explanation.length).toBeGreaterThan(10);
      for (const s of [c.rfm.r, c.rfm.f, c.rfm.m]) expect([1, 2, 3, 4, 5]).toContain(s);
    }
  });

  it("puts every customer in exactly one of the 11 segments, and the summaries partition the base", () => {
    for (const c of result.customers) expect(RFM_GROUPS).toContain(c.segment);
    expect(result.segments.map((s) => s.segment)).toEqual([...RFM_GROUPS]);
    expect(result.segments.reduce((s, g) => s + g.size, 0)).toBe(result.customers.length);
    expect(result.segments.reduce((s, g) => s + g.revenueShare, 0)).toBeCloseTo(1, 2);
    expect(result.clusters.reduce((s, g) => s + g.size, 0)).toBe(result.customers.length);
    for (const c of result.clusters) {
      expect(c.label).toMatch(/buyers/);
      expect(c.nextPeriodPurchaseRate).toBeGreaterThanOrEqual(0);
    }
  });

  it("selects the propensity model by backtest, keeps the blend's backtest and beats chance on the holdout", () => {
    const { model } = result;
    expect(model.pPurchaseSource).toBe("selected");
    expect(model.selection!.candidates.map((c) => c.model)).toContain(model.selection!.chosen);
    expect(result.fitted.propensity!.model).toBe(model.selection!.chosen);
    expect(model.blend!.weightLogistic).toBeGreaterThanOrEqual(0);
    expect(model.blend!.weightLogistic).toBeLessThanOrEqual(1);
    const bt = model.backtest!;
    expect(bt.trainedAt < bt.evaluatedAt).toBe(true);
    for (const report of [bt.bgnbd, bt.logistic, bt.blend, model.holdout!.pPurchase]) {
      expect(report.auc!).toBeGreaterThan(0.7);
      expect(report.brier!).toBeLessThan(0.25);
      expect(Math.abs(report.meanPredicted! - report.actualRate!)).toBeLessThan(0.1);
    }
    console.log(
      "simulated shop backtest:",
      JSON.stringify({ bgnbd: bt.bgnbd, logistic: bt.logistic, blend: bt.blend, w: bt.blendWeight }),
    );
  });

  it("fits Gamma-Gamma and produces a JSON-serialisable model with the docs/contracts.md §4 bgnbd keys", () => {
    const json = JSON.parse(JSON.stringify(result.model));
    expect(json).toEqual(result.model);
    for (const key of ["r", "alpha", "a", "b", "logLikelihood"]) expect(Number.isFinite(json.bgnbd[key])).toBe(true);
    expect(result.model.spendModel).toBe("gamma-gamma");
    expect(result.model.gammaGamma!.p).toBeGreaterThan(0);
  });

  it("is deterministic for a fixed seed", () => {
    const again = scoreCustomers(all, { asOf, horizonDays: 90, rng: mulberry32(1), laterOrders: later });
    expect(again).toEqual(result);
  });
});

function order(
  customer: string,
  day: number,
  totalMinor = 2500,
  sku = "A",
  id = `${customer}-${day}-${totalMinor}`,
): Order {
  return {
    id,
    customer,
    at: start + day * DAY + 3_600_000,
    lines: [{ sku, quantity: 1, amountMinor: totalMinor }],
    totalMinor,
  };
}

describe("degenerate shops never throw", () => {
  const cases: Record<string, Order[]> = {
    "no orders": [],
    "one customer": [order("a", 1), order("a", 20), order("a", 50)],
    "one order": [order("a", 10)],
    "one product, many customers": Array.from({ length: 40 }, (_, i) => order(`c${i}`, i * 3)),
    "all orders on the same day": Array.from({ length: 30 }, (_, i) => order(`c${i % 10}`, 5, 1000 + i)),
    "ten orders": Array.from({ length: 10 }, (_, i) => order(`c${i % 4}`, i * 20)),
    "zero and negative totals": [order("a", 1, 0), order("a", 9, -500), order("b", 3, 0)],
    "orders only after asOf": [order("a", 600)],
  };
  for (const [name, orders] of Object.entries(cases)) {
    it(name, () => {
      const res = scoreCustomers(orders, { asOf, horizonDays: 90, rng: mulberry32(3), laterOrders: [] });
      for (const c of res.customers) {
        for (const v of [c.pPurchase, c.pAlive, c.churnRisk, c.clv, c.clvLow, c.clvHigh, c.expectedOrders])
          expect(Number.isFinite(v)).toBe(true);
        expect(RFM_GROUPS).toContain(c.segment);
      }
      expect(JSON.parse(JSON.stringify(res.model)).bgnbd).toBeDefined();
      expect(res.segments).toHaveLength(11);
    });
  }
  it("ignores garbage horizon values", () => {
    const res = scoreCustomers(cases["ten orders"], { asOf, horizonDays: Number.NaN, rng: mulberry32(3) });
    expect(res.model.horizonDays).toBe(90);
  });
});

describe("assessSufficiency", () => {
  it("counts and explains what is missing, in words", () => {
    const orders = Array.from({ length: 10 }, (_, i) => order(`c${i % 4}`, i * 20, 1000, `S${i % 3}`));
    const s = assessSufficiency(orders, asOf);
    expect(s.counts).toEqual({ orders: 10, customers: 4, repeatBuyers: 4, historySpanDays: 539 - 0, skusWithSales: 3 });
    expect(s.outputs.churn.level).toBe("insufficient");
    expect(s.outputs.churn.missing[0]).toBe("needs ≥ 5 repeat buyers; you have 4");
    expect(s.outputs.segments.level).toBe("insufficient");
    expect(s.outputs.recommendations.level).toBe("limited");
    expect(s.outputs.backtest.fallback).toMatch(/no backtest/);
  });

  it("is ok for a well-established shop and handles empty input", () => {
    const s = assessSufficiency(all, asOf);
    expect(s.outputs.segments.level).toBe("ok");
    expect(s.outputs.churn.level).toBe("ok");
    expect(s.outputs.clv.level).toBe("ok");
    const empty = assessSufficiency([], asOf);
    expect(empty.counts.orders).toBe(0);
    for (const o of Object.values(empty.outputs)) expect(o.level).toBe("insufficient");
  });
});

describe("propensity when the horizon is long for the history", () => {
  // 150 days of orders, 180-day horizon: no snapshot at asOf − H has customers of both kinds with
  // a full label window, so the model trains on a shorter window and stretches it with BG/NBD.
  const short = simulateShop(mulberry32(5), {
    customers: 400,
    days: 420,
    acquisitionDays: 200,
    startMs: start,
    bg: { r: 1.5, alpha: 4, a: 1, b: 8 },
    spend: { p: 5, q: 4, gamma: 60 },
  });
  const cut = start + 150 * DAY;
  const result = scoreCustomers(
    short.filter((o) => o.at < cut),
    { asOf: cut, horizonDays: 180, rng: mulberry32(2), laterOrders: short.filter((o) => o.at >= cut) },
  );
  const model = result.model as unknown as { pPurchaseSource: string; logistic?: { trainingHorizonDays?: number } };

  it("still selects and calibrates a model, trained on a shorter window and stretched to the horizon", () => {
    expect(model.pPurchaseSource).toBe("selected");
    expect(model.logistic?.trainingHorizonDays).toBeLessThan(180);
    expect(result.model.selection!.windowDays).toBeLessThan(180);
    expect(result.fitted.propensity!.windowDays).toBe(result.model.selection!.productionWindowDays);
    for (const c of result.customers) {
      expect(c.pPurchase).toBeGreaterThanOrEqual(0);
      expect(c.pPurchase).toBeLessThanOrEqual(1);
    }
  });

  it("is deterministic", () => {
    const again = scoreCustomers(
      short.filter((o) => o.at < cut),
      { asOf: cut, horizonDays: 180, rng: mulberry32(2) },
    );
    expect(again.customers.map((c) => c.pPurchase)).toEqual(result.customers.map((c) => c.pPurchase));
  });
});
