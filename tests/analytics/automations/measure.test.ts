import { describe, expect, it } from "vitest";
import { measureEffect, orderEconomics, quantile, type UnitOutcome } from "~/analytics/automations";
import { mulberry32 } from "~/analytics/rng";
import type { Rng } from "~/analytics/types";

describe("orderEconomics", () => {
  it("uses variant cost where known, the margin setting elsewhere, and subtracts the discount", () => {
    const e = orderEconomics(
      {
        discountMinor: 1000,
        lines: [
          { quantity: 2, refundedQty: 0, unitPriceMinor: 3000, unitCostMinor: 1000 }, // 6000 gross, cost 2000
          { quantity: 1, refundedQty: 0, unitPriceMinor: 4000, unitCostMinor: null }, // 4000 gross, cost 4000 × 0.6
        ],
      },
      0.4,
    );
    expect(e.revenueMinor).toBe(9000);
    expect(e.discountMinor).toBe(1000);
    expect(e.marginMinor).toBeCloseTo(9000 - 2000 - 2400, 6);
  });

  it("a refunded unit returns its revenue, cost and share of the discount", () => {
    const e = orderEconomics(
      { discountMinor: 1000, lines: [{ quantity: 2, refundedQty: 1, unitPriceMinor: 5000, unitCostMinor: 2000 }] },
      0.5,
    );
    expect(e.revenueMinor).toBe(5000 - 500);
    expect(e.marginMinor).toBe(4500 - 2000);
  });
});

/** Exponential-ish order margins: gamma(2) × mean/2, a right-skewed money distribution. */
function gamma2(rng: Rng, mean: number): number {
  return (-Math.log(1 - rng()) - Math.log(1 - rng())) * (mean / 2);
}

/**
 * A world with a known effect: holdout buys with p0, treated with p1; an order's revenue is
 * gamma-distributed with mean R; without the offer it earns margin share m, with the offer
 * (15% off) m − 0.15. True per-customer incremental margin = p1·(m−d)·R − p0·m·R.
 */
const WORLD = { p0: 0.1, p1: 0.16, R: 6000, m: 0.5, d: 0.15 };
const TRUE_MARGIN_LIFT = WORLD.p1 * (WORLD.m - WORLD.d) * WORLD.R - WORLD.p0 * WORLD.m * WORLD.R; // 36 minor units
const TRUE_CONVERSION_LIFT = WORLD.p1 - WORLD.p0;

function simulate(seed: number, nTreated: number, nHoldout: number): UnitOutcome[] {
  const rng = mulberry32(seed);
  const units: UnitOutcome[] = [];
  const unit = (arm: UnitOutcome["arm"]): UnitOutcome => {
    const treated = arm === "TREATMENT";
    const buys = rng() < (treated ? WORLD.p1 : WORLD.p0);
    const revenue = buys ? gamma2(rng, WORLD.R) : 0;
    const share = treated ? WORLD.m - WORLD.d : WORLD.m;
    return {
      arm,
      stratum: rng() < 0.5 ? "At risk" : "Dormant",
      orders: buys ? 1 : 0,
      revenueMinor: revenue * (treated ? 1 - WORLD.d : 1),
      marginMinor: revenue * share,
      discountMinor: treated ? revenue * WORLD.d : 0,
      redeemed: treated && buys,
      redeemedRevenueMinor: treated && buys ? revenue * (1 - WORLD.d) : 0,
    };
  };
  for (let i = 0; i < nTreated; i++) units.push(unit("TREATMENT"));
  for (let i = 0; i < nHoldout; i++) units.push(unit("HOLDOUT"));
  return units;
}

describe("measureEffect", () => {
  it("reports 'not enough data yet' with the reasons", () => {
    const tiny = simulate(1, 12, 3);
    const m = measureEffect(tiny, { rng: mulberry32(1), windowOpenUntil: "2026-04-01" });
    expect(m.status).toBe("INSUFFICIENT");
    expect(m.effect).toBeNull();
    expect(m.reasons.join(" ")).toMatch(/at least 20 customers/);
    expect(m.reasons.join(" ")).toMatch(/open until 2026-04-01/);

    const noBuyers: UnitOutcome[] = simulate(2, 100, 30).map((u) => ({
      ...u,
      orders: 0,
      revenueMinor: 0,
      marginMinor: 0,
    }));
    const m2 = measureEffect(noBuyers, { rng: mulberry32(1), windowOpenUntil: null });
    expect(m2.status).toBe("INSUFFICIENT");
    expect(m2.reasons.join(" ")).toMatch(/Only 0 of the 130 customers have bought/);
  });

  it("is INTERIM while the window is open and FINAL after", () => {
    const units = simulate(3, 400, 100);
    expect(measureEffect(units, { rng: mulberry32(1), windowOpenUntil: "2026-04-01" }).status).toBe("INTERIM");
    const final = measureEffect(units, { rng: mulberry32(1), windowOpenUntil: null });
    expect(final.status).toBe("FINAL");
    expect(final.effect!.totalIncrementalMarginMinor.estimate).toBeCloseTo(
      final.effect!.marginPerCustomerMinor.estimate * 400,
      6,
    );
    expect(final.redemptions.count).toBe(final.treatment.converters);
  });

  it("is deterministic for a given rng seed", () => {
    const units = simulate(4, 300, 80);
    const a = measureEffect(units, { rng: mulberry32(7), windowOpenUntil: null });
    const b = measureEffect(units, { rng: mulberry32(7), windowOpenUntil: null });
    expect(a).toEqual(b);
  });

  it("90% intervals cover the known true effect in most of 200 simulated experiments", () => {
    const N = 200;
    let coverMargin = 0;
    let coverConversion = 0;
    let sumEstimate = 0;
    let width = 0;
    for (let s = 0; s < N; s++) {
      const units = simulate(1000 + s * 7919, 1600, 400);
      const m = measureEffect(units, { rng: mulberry32(s + 99), windowOpenUntil: null, resamples: 300 });
      const e = m.effect!;
      if (e.marginPerCustomerMinor.low <= TRUE_MARGIN_LIFT && TRUE_MARGIN_LIFT <= e.marginPerCustomerMinor.high)
        coverMargin++;
      if (e.conversionLift.low <= TRUE_CONVERSION_LIFT && TRUE_CONVERSION_LIFT <= e.conversionLift.high)
        coverConversion++;
      sumEstimate += e.marginPerCustomerMinor.estimate;
      width += e.marginPerCustomerMinor.high - e.marginPerCustomerMinor.low;
    }
    // Recorded in docs/automations.md ("Validation").
    console.info(
      `coverage (nominal 90%): margin ${(coverMargin / N).toFixed(3)}, conversion ${(coverConversion / N).toFixed(3)}; ` +
        `mean estimate ${(sumEstimate / N).toFixed(1)} vs truth ${TRUE_MARGIN_LIFT.toFixed(1)}; mean width ${(width / N).toFixed(1)}`,
    );
    expect(coverMargin / N).toBeGreaterThanOrEqual(0.8);
    expect(coverConversion / N).toBeGreaterThanOrEqual(0.8);
    // Unbiased: the mean estimate is close to the truth (SE of the mean ≈ width / 3.3 / √N).
    expect(Math.abs(sumEstimate / N - TRUE_MARGIN_LIFT)).toBeLessThan((width / N / 3.3 / Math.sqrt(N)) * 4);
  });

  it("with no true effect, the interval usually contains zero", () => {
    let containsZero = 0;
    for (let s = 0; s < 60; s++) {
      // Same world for both arms: units drawn as holdout, 800 of them labelled treatment.
      const holdoutOnly = simulate(9000 + s, 0, 1000).map((u, i) => ({
        ...u,
        arm: (i < 800 ? "TREATMENT" : "HOLDOUT") as UnitOutcome["arm"],
      }));
      const m = measureEffect(holdoutOnly, { rng: mulberry32(s), windowOpenUntil: null, resamples: 300 });
      if (m.effect!.marginPerCustomerMinor.low <= 0 && 0 <= m.effect!.marginPerCustomerMinor.high) containsZero++;
    }
    expect(containsZero / 60).toBeGreaterThanOrEqual(0.8);
  });

  it("quantile interpolates", () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([5], 0.9)).toBe(5);
  });
});
