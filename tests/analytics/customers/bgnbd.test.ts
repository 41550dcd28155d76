import { existsSync, readFileSync } from "node:fs";
import { sharedFile } from "../../helpers/shared-data";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  bgnbdLogLikelihood,
  expectedTransactions,
  expectedTransactionsNewCustomer,
  fitBgNbd,
  pAlive,
  probabilityOfPurchase,
  type RepeatHistory,
} from "../../../app/analytics/customers/bgnbd";
import { hyp2f1 } from "../../../app/analytics/customers/special";
import { purchaseDaysBetween, summarizeCustomers } from "../../../app/analytics/customers/summary";
import { mulberry32 } from "../../../app/analytics/rng";
import type { Order } from "../../../app/analytics/types";
import { simulateShop } from "./simulate";

// CDNOW 1/10 sample summary (x, t_x, T in weeks) from the lifetimes repository (MIT licence),
// originally distributed by Fader & Hardie; copied to tests/fixtures so this test always runs.
const fixture = fileURLToPath(new URL("../../fixtures/cdnow_summary_sample.csv", import.meta.url));
const cdnow: RepeatHistory[] = readFileSync(fixture, "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((line) => line.split(",").map(Number))
  .map(([, x, tx, T]) => ({ x, tx, T }));

const published = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const within = (value: number, target: number, rel: number) => expect(Math.abs(value / target - 1)).toBeLessThan(rel);

describe("BG/NBD on the CDNOW summary (Fader, Hardie & Lee 2005)", () => {
  const fit = fitBgNbd(cdnow);

  it("reproduces the published parameters within 1% and LL = −9582.4", () => {
    expect(cdnow).toHaveLength(2357);
    within(fit.r, published.r, 0.01);
    within(fit.alpha, published.alpha, 0.01);
    within(fit.a, published.a, 0.01);
    within(fit.b, published.b, 0.01);
    expect(Math.abs(fit.logLikelihood - -9582.4)).toBeLessThan(0.5);
    expect(Math.abs(bgnbdLogLikelihood(published, cdnow) - -9582.4)).toBeLessThan(0.5);
  });

  it("gives the known conditional expectation for customer 1 (x=2, t_x=30.43, T=38.86): 1.226 in 39 weeks", () => {
    const h = { x: 2, tx: 30.43, T: 38.86 };
    expect(expectedTransactions(published, h, 39)).toBeCloseTo(1.226, 3);
    // Independent check: the untransformed eq. 10 series agrees with the Euler-transformed one.
    const { r, alpha, a, b } = published;
    const z = 39 / (alpha + h.T + 39);
    const direct =
      ((a + b + h.x - 1) / (a - 1)) *
      (1 - Math.pow((alpha + h.T) / (alpha + h.T + 39), r + h.x) * hyp2f1(r + h.x, b + h.x, a + b + h.x - 1, z)) *
      pAlive(published, h);
    expect(expectedTransactions(published, h, 39)).toBeCloseTo(direct, 10);
  });

  it("keeps P(alive), P(purchase) in [0, 1] with P(≥1) ≤ E[count] and monotone in the horizon", () => {
    for (const h of cdnow.slice(0, 400)) {
      const alive = pAlive(fit, h);
      const p13 = probabilityOfPurchase(fit, h, 13);
      const p39 = probabilityOfPurchase(fit, h, 39);
      const e39 = expectedTransactions(fit, h, 39);
      for (const v of [alive, p13, p39]) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
      expect(p39).toBeGreaterThanOrEqual(p13);
      expect(p39).toBeLessThanOrEqual(e39 + 1e-9);
      expect(p39).toBeLessThanOrEqual(alive + 1e-12);
    }
  });

  it("agrees with a Monte Carlo estimate of P(≥1 purchase) drawn from the posterior", () => {
    // Importance sampling: draw (λ, p) from the priors, weight by the individual likelihood.
    const rng = mulberry32(11);
    const h = { x: 3, tx: 20, T: 38 };
    const t = 20;
    let num = 0;
    let den = 0;
    const { r, alpha, a, b } = published;
    for (let i = 0; i < 200_000; i++) {
      const lambda = gamma(rng, r, alpha);
      const p = beta(rng, a, b);
      const alive = Math.pow(1 - p, h.x) * Math.pow(lambda, h.x) * Math.exp(-lambda * h.T);
      const dead = p * Math.pow(1 - p, h.x - 1) * Math.pow(lambda, h.x) * Math.exp(-lambda * h.tx);
      den += alive + dead;
      num += alive * (1 - Math.exp(-lambda * t));
    }
    expect(probabilityOfPurchase(published, h, t)).toBeCloseTo(num / den, 2);
  });

  it("matches the unconditional E[X(t)] at T = 0 and sums close to the 1,882 holdout repeat purchases", () => {
    expect(expectedTransactionsNewCustomer(fit, 39)).toBeGreaterThan(0);
    const total = cdnow.reduce((s, h) => s + expectedTransactions(fit, h, 39), 0);
    console.log(`CDNOW: Σ E[repeat purchases in 39 weeks] = ${total.toFixed(1)} (actual 1,882)`);
    expect(total).toBeGreaterThan(1500);
    expect(total).toBeLessThan(2100);
  });

  it("handles a ≈ 1 (removable singularity) smoothly", () => {
    const h = { x: 2, tx: 10, T: 30 };
    const lo = expectedTransactions({ ...published, a: 0.999 }, h, 20);
    const mid = expectedTransactions({ ...published, a: 1 }, h, 20);
    const hi = expectedTransactions({ ...published, a: 1.001 }, h, 20);
    expect(mid).toBeGreaterThan(Math.min(lo, hi) - 1e-3);
    expect(mid).toBeLessThan(Math.max(lo, hi) + 1e-3);
  });
});

describe("BG/NBD parameter recovery on simulated purchases", () => {
  it("recovers r, α, a, b from 3,000 simulated customers", () => {
    const start = Date.UTC(2023, 0, 1);
    const truth = { r: 1.5, alpha: 6, a: 1.2, b: 6 };
    const orders = simulateShop(mulberry32(5), {
      customers: 3000,
      days: 540,
      acquisitionDays: 180,
      startMs: start,
      bg: truth,
      spend: { p: 5, q: 4, gamma: 20 },
    });
    const fit = fitBgNbd(summarizeCustomers(orders, start + 540 * 86_400_000));
    within(fit.r, truth.r, 0.2);
    within(fit.alpha, truth.alpha, 0.25);
    within(fit.a, truth.a, 0.3);
    within(fit.b, truth.b, 0.35);
  });

  it("never throws and stays finite on degenerate data", () => {
    for (const data of [
      [],
      [{ x: 0, tx: 0, T: 0 }],
      Array.from({ length: 30 }, () => ({ x: 0, tx: 0, T: 10 })),
      [{ x: 5, tx: 1, T: 1 }],
    ]) {
      const fit = fitBgNbd(data);
      for (const v of [fit.r, fit.alpha, fit.a, fit.b, fit.logLikelihood]) expect(Number.isFinite(v)).toBe(true);
      const p = probabilityOfPurchase(fit, { x: 0, tx: 0, T: 0 }, 13);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
    }
  });
});

const raw = sharedFile("cdnow_sample.txt");
describe.skipIf(!existsSync(raw))(
  "CDNOW raw purchases through summarizeCustomers (needs shared data cdnow_sample.txt; skipped when absent)",
  () => {
    it("builds the same (x, t_x, T) from orders with asOf = 1997-10-01 and finds 1,882 holdout purchases", () => {
      const orders: Order[] = readFileSync(raw, "utf8")
        .trim()
        .split("\n")
        .map((line, i) => {
          const [customer, , date, , dollars] = line.trim().split(/\s+/);
          const at = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(4, 6)) - 1, Number(date.slice(6, 8)));
          const totalMinor = Math.round(Number(dollars) * 100);
          return { id: String(i), customer, at, lines: [], totalMinor };
        });
      const asOf = Date.UTC(1997, 9, 1);
      const histories = summarizeCustomers(orders, asOf);
      expect(histories).toHaveLength(2357);
      const fit = fitBgNbd(histories);
      within(fit.r, published.r, 0.01);
      expect(Math.abs(fit.logLikelihood - -9582.4)).toBeLessThan(0.5);
      const holdout = purchaseDaysBetween(orders, asOf, Date.UTC(1998, 6, 1));
      expect([...holdout.values()].reduce((s, v) => s + v, 0)).toBe(1882);
    });
  },
);

function gamma(rng: () => number, shape: number, rate: number): number {
  // Inline to keep this test independent of the simulator under test elsewhere.
  if (shape < 1) return gamma(rng, shape + 1, rate) * Math.pow(rng(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const u1 = Math.max(rng(), 1e-300);
    const x = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * rng());
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    const u = rng();
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return (d * v) / rate;
  }
}

function beta(rng: () => number, a: number, b: number): number {
  const x = gamma(rng, a, 1);
  return x / (x + gamma(rng, b, 1));
}
