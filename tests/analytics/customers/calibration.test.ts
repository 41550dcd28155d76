import { describe, expect, it } from "vitest";
import {
  applyCalibration,
  fitCalibration,
  fitIsotonic,
  reliabilityTable,
} from "../../../app/analytics/customers/calibration";
import { mulberry32 } from "../../../app/analytics/rng";

describe("calibration", () => {
  it("isotonic pools adjacent violators into a non-decreasing step function", () => {
    const fit = fitIsotonic([1, 2, 3, 4, 5, 6], [0, 1, 0, 0, 1, 1]);
    for (let i = 1; i < fit.y.length; i++) expect(fit.y[i]).toBeGreaterThanOrEqual(fit.y[i - 1]);
    // First block alone (0), then {2, 3, 4} pooled to 1/3, then the two buyers (clamped to 0.999).
    expect(fit.y).toEqual([0.001, 1 / 3, 0.999]);
    expect(fit.x).toEqual([1, 3, 5.5]);
  });

  it("Platt and isotonic both turn an over-confident score into rates close to the truth", () => {
    const rng = mulberry32(3);
    const scores: number[] = [];
    const labels: number[] = [];
    for (let i = 0; i < 4000; i++) {
      const s = rng() * 8 - 4;
      const trueP = 1 / (1 + Math.exp(-s / 2)); // the score is twice as confident as it should be
      scores.push(s);
      labels.push(rng() < trueP ? 1 : 0);
    }
    for (const kind of ["platt", "isotonic"] as const) {
      const cal = fitCalibration(kind, scores, labels);
      expect(applyCalibration(cal, 2)).toBeGreaterThan(0.63);
      expect(applyCalibration(cal, 2)).toBeLessThan(0.83); // true 0.73; raw sigmoid(2) = 0.88
      expect(applyCalibration(cal, -2)).toBeLessThan(0.37);
    }
    const platt = fitCalibration("platt", scores, labels);
    if (platt.kind === "platt") expect(platt.slope).toBeCloseTo(0.5, 1);
  });

  it("reliability table: ten deciles of equal size, sorted by prediction, with actual rates", () => {
    const preds = Array.from({ length: 100 }, (_, i) => i / 100);
    const labels = preds.map((p) => (p >= 0.5 ? 1 : 0));
    const table = reliabilityTable(preds, labels);
    expect(table).toHaveLength(10);
    expect(table.every((r) => r.customers === 10)).toBe(true);
    expect(table[0].meanPredicted).toBeCloseTo(0.045, 6);
    expect(table.slice(0, 5).every((r) => r.actualRate === 0)).toBe(true);
    expect(table.slice(5).every((r) => r.actualRate === 1)).toBe(true);
  });
});
