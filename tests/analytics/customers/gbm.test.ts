import { describe, expect, it } from "vitest";
import { auc } from "../../../app/analytics/customers/metrics";
import { boostedScore, fitBoostedTrees } from "../../../app/analytics/customers/gbm";
import { fitLogistic, predictLogistic } from "../../../app/analytics/customers/logistic";
import { mulberry32 } from "../../../app/analytics/rng";

/** Buyers sit in a band of x0 (a rhythm window): no monotone model can rank them. */
function bandData(seed: number, n: number) {
  const rng = mulberry32(seed);
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = [rng() * 10, rng() * 10];
    X.push(x);
    y.push(rng() < (x[0] > 4 && x[0] < 6 ? 0.8 : 0.1) ? 1 : 0);
  }
  return { X, y };
}

describe("gradient-boosted trees", () => {
  it("learns a non-monotone effect that logistic regression cannot, judged on fresh rows", () => {
    const train = bandData(1, 2000);
    const test = bandData(2, 2000);
    const gbm = fitBoostedTrees(train.X, train.y);
    const lr = fitLogistic(train.X, train.y, { l2: 1 });
    const aucGbm = auc(
      test.X.map((x) => boostedScore(gbm, x)),
      test.y,
    );
    const aucLr = auc(
      test.X.map((x) => predictLogistic(lr, x)),
      test.y,
    );
    expect(aucGbm).toBeGreaterThan(0.8);
    expect(aucGbm).toBeGreaterThan(aucLr + 0.2);
  });

  it("is deterministic and plain JSON", () => {
    const { X, y } = bandData(3, 500);
    const a = fitBoostedTrees(X, y);
    expect(JSON.stringify(fitBoostedTrees(X, y))).toBe(JSON.stringify(a));
    const b = JSON.parse(JSON.stringify(a));
    expect(boostedScore(b, [5, 5])).toBe(boostedScore(a, [5, 5]));
  });
});
