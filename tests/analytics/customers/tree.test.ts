import { describe, expect, it } from "vitest";
import { fitDecisionTree, treeSegments } from "../../../app/analytics/customers/tree";
import { RICH_FEATURES } from "../../../app/analytics/customers/features";
import { mulberry32 } from "../../../app/analytics/rng";

describe("decision-tree segments", () => {
  it("describes its leaves in plain words with measured rates, best segment first", () => {
    // Feature 0 = log1p(recency days): recent customers (≤ 30 days) buy again far more often.
    const rng = mulberry32(4);
    const X: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const recency = Math.floor(rng() * 300);
      const row = new Array(RICH_FEATURES.length).fill(0);
      row[0] = Math.log1p(recency);
      X.push(row);
      y.push(rng() < (recency <= 30 ? 0.6 : 0.1) ? 1 : 0);
    }
    const tree = fitDecisionTree(X, y);
    const segments = treeSegments(tree, RICH_FEATURES, X, y);
    expect(segments[0].rule).toMatch(/last order (at most \d+|\d+–\d+) days ago/);
    expect(segments[0].rate).toBeGreaterThan(0.45);
    expect(segments[segments.length - 1].rate).toBeLessThan(0.15);
    expect(segments.reduce((s, g) => s + g.customers, 0)).toBe(1000);
    for (const s of segments) expect(s.customers).toBeGreaterThanOrEqual(50);
  });
});
