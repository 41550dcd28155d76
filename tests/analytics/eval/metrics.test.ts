import { describe, expect, it } from "vitest";
import {
  brierScore,
  hitRateAtK,
  meanPredictedVsActual,
  ndcgAtK,
  prAuc,
  recallAtK,
  rocAuc,
} from "~/analytics/eval/metrics";
import { holdOneOut, sampleUsers, timeSplit } from "~/analytics/eval/splits";
import { mulberry32 } from "~/analytics/rng";

describe("ranking metrics (hand-computed)", () => {
  const ranked = ["a", "b", "c", "d", "e"];

  it("Recall@k divides by min(|truth|, k)", () => {
    expect(recallAtK(ranked, new Set(["b", "e", "x"]), 3)).toBeCloseTo(1 / 3);
    expect(recallAtK(ranked, new Set(["a", "b", "c", "d"]), 2)).toBe(1); // 2 hits / min(4, 2)
    expect(recallAtK(ranked, new Set(["e"]), 5)).toBe(1);
    expect(recallAtK(ranked, new Set(), 5)).toBeNaN();
  });

  it("NDCG@k truncates the ideal DCG at k", () => {
    // hits at ranks 2 and 4 (1-based): DCG = 1/log2(3) + 1/log2(5); IDCG with 2 relevant = 1 + 1/log2(3)
    const expected = (1 / Math.log2(3) + 1 / Math.log2(5)) / (1 + 1 / Math.log2(3));
    expect(ndcgAtK(ranked, new Set(["b", "d"]), 5)).toBeCloseTo(expected, 12);
    // 5 relevant, k = 2, both top-2 hit → 1 (IDCG counts only 2 positions)
    expect(ndcgAtK(ranked, new Set(ranked), 2)).toBe(1);
    expect(ndcgAtK(ranked, new Set(["z"]), 5)).toBe(0);
  });

  it("HR@k is 1 with at least one hit", () => {
    expect(hitRateAtK(ranked, new Set(["c"]), 3)).toBe(1);
    expect(hitRateAtK(ranked, new Set(["d"]), 3)).toBe(0);
  });
});

describe("probability metrics (hand-computed)", () => {
  const scores = [0.9, 0.8, 0.4, 0.3, 0.2];
  const labels = [true, false, true, false, false];

  it("ROC AUC counts correctly ordered positive/negative pairs (ties = ½)", () => {
    expect(rocAuc(scores, labels)).toBeCloseTo(5 / 6); // pairs: (0.9>all 3 neg), (0.4>0.3,0.2) = 5 of 6
    expect(rocAuc([0.5, 0.5, 0.5], [true, false, false])).toBe(0.5);
  });

  it("PR-AUC is average precision", () => {
    expect(prAuc(scores, labels)).toBeCloseTo((1 / 1 + 2 / 3) / 2);
  });

  it("Brier and calibration-in-the-large", () => {
    expect(brierScore([1, 0, 0.5], [true, false, true])).toBeCloseTo(0.25 / 3);
    expect(meanPredictedVsActual([0.2, 0.4], [true, false])).toEqual({ predicted: 0.30000000000000004, actual: 0.5 });
  });
});

describe("splits", () => {
  const DAY = 86_400_000;
  const order = (id: string, customer: string, day: number, skus: string[]) => ({
    id,
    customer,
    at: day * DAY,
    lines: skus.map((sku) => ({ sku, quantity: 1, amountMinor: 1 })),
    totalMinor: 1,
  });
  const orders = [
    order("1", "a", 1, ["x"]),
    order("2", "a", 10, ["y", "z"]),
    order("3", "b", 11, ["x"]),
    order("4", "a", 30, ["x"]),
  ];

  it("timeSplit trains strictly before as-of and tests within the horizon, for known customers", () => {
    const split = timeSplit(orders, 10 * DAY, 15);
    expect(split.train.map((o) => o.id)).toEqual(["1"]);
    expect(split.test.map((o) => o.id)).toEqual(["2"]);
    expect(split.testCustomers).toEqual(["a"]);
  });

  it("holdOneOut hides one item of each multi-item order", () => {
    const cases = holdOneOut(orders, mulberry32(3));
    expect(cases).toHaveLength(1);
    expect([...cases[0].given, cases[0].hidden].sort()).toEqual(["y", "z"]);
  });

  it("sampleUsers is deterministic for a seed", () => {
    const users = Array.from({ length: 50 }, (_, i) => `u${i}`);
    expect([...sampleUsers(users, 0.2, mulberry32(0))]).toEqual([...sampleUsers(users, 0.2, mulberry32(0))]);
    expect(sampleUsers(users, 0.2, mulberry32(0)).size).toBe(10);
  });
});
