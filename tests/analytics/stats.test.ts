import { describe, expect, it } from "vitest";
import {
  ascending,
  mean,
  meanOfFinite,
  meanOfFiniteOrZero,
  median,
  nearestRankQuantileSorted,
  pairedBootstrapDifference,
  quantile,
  quantileSorted,
  sum,
} from "~/analytics/stats";
import { mulberry32 } from "~/analytics/rng";

describe("sum and mean", () => {
  it("sums left to right, 0 when empty, and accepts typed arrays", () => {
    expect(sum([1, 2, 3.5])).toBe(6.5);
    expect(sum([])).toBe(0);
    expect(sum(Float64Array.from([0.5, 0.25]))).toBe(0.75);
    // Left-to-right order matters for floating point: (0.1 + 0.2) + 0.3 !== 0.1 + (0.2 + 0.3).
    expect(sum([0.1, 0.2, 0.3])).toBe(0.1 + 0.2 + 0.3);
    expect(sum([0.1, 0.2, 0.3])).toBe([0.1, 0.2, 0.3].reduce((s, v) => s + v, 0));
  });

  it("means exactly, NaN when empty", () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(mean(Float64Array.from([1, 0, 0, 1]))).toBe(0.5);
    expect(mean([])).toBeNaN();
  });

  it("meanOfFinite skips NaN and Infinity, NaN when nothing is finite", () => {
    expect(meanOfFinite([1, NaN, 0, Infinity])).toBe(0.5);
    expect(meanOfFinite([NaN])).toBeNaN();
    expect(meanOfFinite([])).toBeNaN();
  });

  it("meanOfFiniteOrZero is 0 when nothing is finite", () => {
    expect(meanOfFiniteOrZero([2, NaN, 4])).toBe(3);
    expect(meanOfFiniteOrZero([NaN, -Infinity])).toBe(0);
    expect(meanOfFiniteOrZero([])).toBe(0);
  });
});

describe("quantiles", () => {
  it("median of odd and even lengths, any order", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNaN();
  });

  it("does not reorder the caller's array", () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });

  it("type-7 interpolation matches numpy.quantile", () => {
    // numpy.quantile([1, 2, 3, 4], [0, 0.25, 0.9, 1]) == [1, 1.75, 3.7, 4]
    expect(quantile([4, 2, 1, 3], 0)).toBe(1);
    expect(quantile([4, 2, 1, 3], 0.25)).toBe(1.75);
    expect(quantile([4, 2, 1, 3], 0.9)).toBeCloseTo(3.7, 12);
    expect(quantile([4, 2, 1, 3], 1)).toBe(4);
    expect(quantile([5], 0.9)).toBe(5);
    expect(quantile([], 0.5)).toBeNaN();
  });

  it("quantileSorted reads an ascending Float64Array and clamps q", () => {
    const sorted = Float64Array.from([10, 20, 30]);
    expect(quantileSorted(sorted, 0.5)).toBe(20);
    expect(quantileSorted(sorted, 0.75)).toBe(25);
    expect(quantileSorted(sorted, -1)).toBe(10);
    expect(quantileSorted(sorted, 2)).toBe(30);
    expect(quantileSorted(new Float64Array(0), 0.5)).toBeNaN();
  });

  it("nearest-rank quantile returns an observed value, never an interpolation", () => {
    const sorted = Array.from({ length: 20 }, (_, i) => i + 1); // 1..20
    expect(nearestRankQuantileSorted(sorted, 0.95)).toBe(19);
    expect(nearestRankQuantileSorted(sorted, 0.5)).toBe(10);
    expect(quantileSorted(sorted, 0.5)).toBe(10.5); // the type-7 answer differs on purpose
    expect(nearestRankQuantileSorted([1, 2, 3, 4], 0.5)).toBe(2);
    expect(nearestRankQuantileSorted([5], 0.99)).toBe(5);
    expect(nearestRankQuantileSorted([1, 2], 0)).toBe(1);
    expect(nearestRankQuantileSorted([], 0.5)).toBeNaN();
  });

  it("ascending sorts numerically (not as strings) into a copy", () => {
    const values = [10, 9, 100];
    expect(ascending(values)).toEqual([9, 10, 100]);
    expect(values).toEqual([10, 9, 100]);
  });
});

describe("pairedBootstrapDifference", () => {
  it("is exactly zero for identical methods and exactly the shift for a constant one", () => {
    const a = Array.from({ length: 50 }, (_, i) => (i % 3) / 2);
    const same = pairedBootstrapDifference(a, a, mulberry32(1));
    expect([same.mean, same.lo, same.hi]).toEqual([0, 0, 0]);
    const shifted = pairedBootstrapDifference(
      a.map((v) => v + 0.25),
      a,
      mulberry32(1),
    );
    expect(shifted.mean).toBeCloseTo(0.25, 12);
    expect(shifted.lo).toBeCloseTo(0.25, 12);
    expect(shifted.hi).toBeCloseTo(0.25, 12);
  });

  it("brackets a noisy difference, narrows with more cases and repeats with the same seed", () => {
    const rng = mulberry32(3);
    const cases = (n: number) => {
      const a = Array.from({ length: n }, () => (rng() < 0.55 ? 1 : 0));
      const b = Array.from({ length: n }, () => (rng() < 0.45 ? 1 : 0));
      return { a, b };
    };
    const small = cases(100);
    const large = cases(4000);
    const s = pairedBootstrapDifference(small.a, small.b, mulberry32(9), { level: 0.9 });
    const l = pairedBootstrapDifference(large.a, large.b, mulberry32(9), { level: 0.9 });
    expect(s.lo).toBeLessThan(s.mean);
    expect(s.hi).toBeGreaterThan(s.mean);
    expect(l.hi - l.lo).toBeLessThan((s.hi - s.lo) / 4);
    // 4,000 cases with a true difference of 0.10: the 90 % interval excludes 0 and holds 0.10.
    expect(l.lo).toBeGreaterThan(0);
    expect(l.lo).toBeLessThan(0.1);
    expect(l.hi).toBeGreaterThan(0.1);
    expect(pairedBootstrapDifference(small.a, small.b, mulberry32(9), { level: 0.9 })).toEqual(s);
  });

  it("returns NaN bounds for no cases", () => {
    const r = pairedBootstrapDifference([], [], mulberry32(1));
    expect(r.lo).toBeNaN();
    expect(r.hi).toBeNaN();
  });
});
