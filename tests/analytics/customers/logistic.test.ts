import { describe, expect, it } from "vitest";
import { fitLogistic, predictLogistic } from "../../../app/analytics/customers/logistic";
import { auc, brier, classificationReport, prAuc } from "../../../app/analytics/customers/metrics";
import { sigmoid, standardNormal } from "../../../app/analytics/customers/special";
import { mulberry32 } from "../../../app/analytics/rng";

describe("L2 logistic regression by IRLS", () => {
  it("recovers known coefficients on 20,000 simulated rows", () => {
    const rng = mulberry32(4);
    const truth = { intercept: -0.5, coefficients: [1.2, -0.8, 0.3] };
    const X: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const x = [standardNormal(rng), standardNormal(rng), standardNormal(rng)];
      X.push(x);
      y.push(rng() < predictLogistic(truth, x) ? 1 : 0);
    }
    const fit = fitLogistic(X, y, { l2: 1e-3 });
    expect(fit.converged).toBe(true);
    expect(fit.intercept).toBeCloseTo(truth.intercept, 1);
    fit.coefficients.forEach((c, j) => expect(Math.abs(c - truth.coefficients[j])).toBeLessThan(0.06));
  });

  it("shrinks coefficients as λ grows and stays finite on perfectly separable data", () => {
    const X = [[-2], [-1], [1], [2]];
    const y = [0, 0, 1, 1];
    const weak = fitLogistic(X, y, { l2: 0.1 });
    const strong = fitLogistic(X, y, { l2: 10 });
    expect(Number.isFinite(weak.coefficients[0])).toBe(true);
    expect(Math.abs(strong.coefficients[0])).toBeLessThan(Math.abs(weak.coefficients[0]));
    expect(predictLogistic(weak, [2])).toBeGreaterThan(0.5);
  });

  it("handles empty input and a constant label", () => {
    expect(fitLogistic([], []).coefficients).toEqual([]);
    const fit = fitLogistic([[1], [2], [3]], [1, 1, 1]);
    expect(predictLogistic(fit, [2])).toBeGreaterThan(0.5);
  });
});

describe("metrics on hand-computed examples", () => {
  it("AUC counts ties as one half", () => {
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 12);
    expect(auc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBeCloseTo(0.5, 12);
    expect(auc([0.9, 0.1], [1, 0])).toBe(1);
    expect(auc([0.1, 0.2], [1, 1])).toBeNaN();
  });

  it("PR-AUC is average precision", () => {
    // Ranking 1,0,1,0 → precision at the hits: 1 and 2/3 → AP = (1 + 2/3)/2.
    expect(prAuc([0.9, 0.8, 0.7, 0.6], [1, 0, 1, 0])).toBeCloseTo(5 / 6, 12);
    expect(prAuc([0.9, 0.8], [1, 1])).toBe(1);
    // All tied: precision = base rate.
    expect(prAuc([0.5, 0.5, 0.5, 0.5], [1, 0, 0, 0])).toBeCloseTo(0.25, 12);
  });

  it("Brier is the mean squared error", () => {
    expect(brier([0.9, 0.2, 0.5], [1, 0, 1])).toBeCloseTo((0.01 + 0.04 + 0.25) / 3, 12);
    const report = classificationReport([0.9, 0.2], [1, 0]);
    expect(report).toMatchObject({ n: 2, auc: 1, meanPredicted: 0.55, actualRate: 0.5 });
    expect(classificationReport([], []).auc).toBeNull();
    expect(sigmoid(0)).toBe(0.5);
  });
});
