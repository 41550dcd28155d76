import { describe, expect, it } from "vitest";
import {
  expectedAverageSpend,
  fitGammaGamma,
  gammaGammaLogLikelihood,
  type SpendHistory,
} from "../../../app/analytics/customers/gammaGamma";
import { mulberry32 } from "../../../app/analytics/rng";
import { gammaDraw } from "./simulate";

/** Customers with 1–10 repeat purchases, each valued Gamma(p, ν) with ν ~ Gamma(q, γ). */
function simulateSpend(seed: number, n: number, truth: { p: number; q: number; gamma: number }): SpendHistory[] {
  const rng = mulberry32(seed);
  return Array.from({ length: n }, () => {
    const x = 1 + Math.floor(rng() * 10);
    const nu = gammaDraw(rng, truth.q, truth.gamma);
    let sum = 0;
    for (let j = 0; j < x; j++) sum += gammaDraw(rng, truth.p, nu);
    return { x, meanValue: sum / x };
  });
}

describe("Gamma-Gamma spend model (Fader, Hardie & Lee 2005)", () => {
  const truth = { p: 6, q: 4, gamma: 15 };
  const data = simulateSpend(3, 4000, truth);
  const fit = fitGammaGamma(data)!;

  it("recovers p, q, γ and the population mean from 4,000 simulated customers", () => {
    expect(fit).not.toBeNull();
    expect(Math.abs(fit.p / truth.p - 1)).toBeLessThan(0.1);
    expect(Math.abs(fit.q / truth.q - 1)).toBeLessThan(0.15);
    expect(Math.abs(fit.gamma / truth.gamma - 1)).toBeLessThan(0.2);
    const trueMean = (truth.p * truth.gamma) / (truth.q - 1);
    expect(Math.abs(fit.populationMeanSpend! / trueMean - 1)).toBeLessThan(0.05);
    // The fit is a maximum: the truth is not more likely than the estimate.
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(gammaGammaLogLikelihood(truth, data));
  });

  it("shrinks a customer's own mean towards the population mean, less so with more purchases", () => {
    const population = fit.populationMeanSpend!;
    const big1 = expectedAverageSpend(fit, { x: 1, meanValue: 100 });
    const big10 = expectedAverageSpend(fit, { x: 10, meanValue: 100 });
    expect(big1).toBeLessThan(100);
    expect(big1).toBeGreaterThan(population);
    expect(big10).toBeGreaterThan(big1);
    expect(expectedAverageSpend(fit, { x: 0, meanValue: null })).toBeCloseTo(population, 6);
  });

  it("returns null instead of a runaway fit on too little or constant data", () => {
    expect(fitGammaGamma([])).toBeNull();
    expect(fitGammaGamma([{ x: 1, meanValue: 10 }])).toBeNull();
    expect(fitGammaGamma(Array.from({ length: 50 }, (_, i) => ({ x: 1 + (i % 3), meanValue: 10 })))).toBeNull();
    expect(
      fitGammaGamma([
        { x: 0, meanValue: 5 },
        { x: 2, meanValue: -1 },
      ]),
    ).toBeNull();
  });
});
