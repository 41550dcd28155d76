import { describe, expect, it } from "vitest";
import {
  RFM_GROUPS,
  RFM_RULES,
  fmScore,
  relativeScores,
  rfmGroup,
  rfmScores,
} from "../../../app/analytics/customers/rfm";

describe("RFM scores", () => {
  it("scores quintiles 1–5, lower recency is better", () => {
    const recency = Array.from({ length: 10 }, (_, i) => i * 10);
    expect(relativeScores(recency, false)).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
    expect(relativeScores(recency, true)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
  });

  it("gives tied customers the same score; a one-time majority is F = 1", () => {
    const orders = [1, 1, 1, 1, 1, 1, 1, 2, 2, 5];
    const f = relativeScores(orders, true);
    expect(new Set(f.slice(0, 7))).toEqual(new Set([1]));
    expect(f[7]).toBe(f[8]);
    expect(f[9]).toBeGreaterThan(f[8]);
  });

  it("handles tiny shops and all-equal values", () => {
    expect(relativeScores([], true)).toEqual([]);
    expect(relativeScores([7], true)).toEqual([3]);
    expect(relativeScores([4, 4, 4], false)).toEqual([3, 3, 3]);
    const two = relativeScores([1, 2], true);
    expect(two[0]).toBeLessThan(two[1]);
    for (const s of rfmScores([{ recencyDays: 3, orderCount: 1, totalSpend: 10 }]))
      expect(s).toEqual({ r: 3, f: 3, m: 3 });
  });
});

describe("RFM groups (rule table on R × FM)", () => {
  it("maps every (R, F, M, orders) combination to exactly one of Shopify's 11 names", () => {
    const seen = new Set<string>();
    for (let r = 1; r <= 5; r++)
      for (let f = 1; f <= 5; f++)
        for (let m = 1; m <= 5; m++)
          for (const orders of [0, 1, 2, 10]) {
            const g = rfmGroup({ r, f, m }, orders);
            expect(RFM_GROUPS).toContain(g);
            seen.add(g);
          }
    expect(seen.size).toBe(11);
    expect(new Set(RFM_RULES.map((rule) => rule.group)).size).toBe(11);
  });

  it("reads Shopify's descriptions sensibly", () => {
    expect(rfmGroup({ r: 5, f: 5, m: 5 }, 12)).toBe("Champions");
    expect(rfmGroup({ r: 4, f: 5, m: 4 }, 8)).toBe("Loyal");
    expect(rfmGroup({ r: 5, f: 1, m: 2 }, 1)).toBe("New");
    expect(rfmGroup({ r: 5, f: 1, m: 2 }, 3)).toBe("Promising");
    expect(rfmGroup({ r: 4, f: 3, m: 3 }, 3)).toBe("Active");
    expect(rfmGroup({ r: 3, f: 2, m: 3 }, 2)).toBe("Needs attention");
    expect(rfmGroup({ r: 2, f: 4, m: 5 }, 9)).toBe("At risk");
    expect(rfmGroup({ r: 2, f: 1, m: 2 }, 1)).toBe("Almost lost");
    expect(rfmGroup({ r: 1, f: 5, m: 5 }, 15)).toBe("Previously loyal");
    expect(rfmGroup({ r: 1, f: 1, m: 1 }, 1)).toBe("Dormant");
    expect(rfmGroup({ r: 3, f: 3, m: 3 }, 0)).toBe("Prospects");
    expect(fmScore({ f: 1, m: 4 })).toBe(3);
  });
});
