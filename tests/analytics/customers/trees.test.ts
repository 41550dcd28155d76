import { describe, expect, it } from "vitest";
import { binFeatures, growTree, leafIndex, predictTree } from "../../../app/analytics/customers/trees";

describe("histogram regression trees", () => {
  it("splits on the informative feature at the cut between the two groups", () => {
    // Feature 0 is noise, feature 1 separates y: rows with x1 ≤ 10 have y = 0, above have y = 1.
    const X = Array.from({ length: 200 }, (_, i) => [(i * 37) % 11, i < 100 ? i % 10 : 20 + (i % 10)]);
    const y = X.map((r) => (r[1] > 10 ? 1 : 0));
    const g = Float64Array.from(y, (v) => 0.5 - v);
    const h = new Float64Array(200).fill(1);
    const nodes = growTree(
      binFeatures(X),
      g,
      h,
      X.map((_, i) => i),
      { maxDepth: 1, minChildWeight: 10, lambda: 0 },
    );
    expect(nodes[0].f).toBe(1);
    expect(nodes[0].t).toBeGreaterThanOrEqual(9);
    expect(nodes[0].t).toBeLessThan(20);
    // Newton leaf values −G/H: +0.5 on the y = 1 side, −0.5 on the other.
    expect(predictTree(nodes, [0, 25])).toBeCloseTo(0.5, 9);
    expect(predictTree(nodes, [0, 3])).toBeCloseTo(-0.5, 9);
  });

  it("stops at minChildWeight: no split leaves fewer rows than allowed in a child", () => {
    const X = Array.from({ length: 40 }, (_, i) => [i]);
    const g = Float64Array.from(X, (r) => (r[0] < 3 ? -1 : 1));
    const nodes = growTree(
      binFeatures(X),
      g,
      new Float64Array(40).fill(1),
      X.map((_, i) => i),
      {
        maxDepth: 3,
        minChildWeight: 15,
        lambda: 0,
      },
    );
    const sizes = new Map<number, number>();
    for (const r of X) sizes.set(leafIndex(nodes, r), (sizes.get(leafIndex(nodes, r)) ?? 0) + 1);
    for (const n of sizes.values()) expect(n).toBeGreaterThanOrEqual(15);
  });

  it("never cuts at a feature's maximum (that would leave an empty side) and handles constant columns", () => {
    const data = binFeatures([
      [1, 5],
      [2, 5],
      [3, 5],
    ]);
    expect(data.thresholds[1]).toEqual([]);
    expect(Math.max(...data.thresholds[0])).toBeLessThan(3);
  });
});
