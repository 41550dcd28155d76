import { describe, expect, it } from "vitest";
import { allocateArms, type ArmOutcome } from "~/analytics/automations";
import { mulberry32 } from "~/analytics/rng";

/** Thompson allocation between arms (D39): learns per segment, pools thin segments, keeps the floor. */

const KEYS = ["pct-10", "pct-15", "pct-20"];

/** `n` treated customers of `arm` in `segment` whose margin is mean ± noise. */
function units(segment: string, arm: string, n: number, mean: number, seed: number): ArmOutcome[] {
  const rng = mulberry32(seed);
  return Array.from({ length: n }, () => {
    const m = mean + (rng() - 0.5) * 2000;
    return {
      arm: "TREATMENT",
      stratum: `${segment}|low`,
      segment,
      offerArm: arm,
      weight: 3,
      orders: 1,
      revenueMinor: m * 2,
      marginMinor: m,
      discountMinor: 0,
      redeemed: true,
      redeemedRevenueMinor: 0,
    };
  });
}

describe("allocateArms", () => {
  it("is equal while an arm has no outcome yet", () => {
    const a = allocateArms(units("A", "pct-10", 50, 100, 1), KEYS, mulberry32(1));
    expect(a.source).toBe("equal");
    expect(a.pooled).toEqual([1 / 3, 1 / 3, 1 / 3]);
  });

  it("moves each segment toward its own best arm, never below the floor", () => {
    const data = [
      ...units("At risk", "pct-10", 300, 300, 1),
      ...units("At risk", "pct-15", 300, 400, 2),
      ...units("At risk", "pct-20", 300, 600, 3),
      ...units("Almost lost", "pct-10", 300, 500, 4),
      ...units("Almost lost", "pct-15", 300, 200, 5),
      ...units("Almost lost", "pct-20", 300, -100, 6),
    ];
    const a = allocateArms(data, KEYS, mulberry32(7), { floor: 0.05 });
    expect(a.source).toBe("learned");
    const risk = a.bySegment["At risk"];
    const lost = a.bySegment["Almost lost"];
    expect(risk[2]).toBeGreaterThan(0.85);
    expect(lost[0]).toBeGreaterThan(0.85);
    for (const s of [risk, lost, a.pooled]) {
      expect(s.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 9);
      expect(Math.min(...s)).toBeGreaterThanOrEqual(0.05 - 1e-12);
    }
    // Same rng, same allocation.
    expect(allocateArms(data, KEYS, mulberry32(7), { floor: 0.05 })).toEqual(a);
  });

  it("a segment with a handful of customers follows the pooled answer (partial pooling)", () => {
    const data = [
      ...units("Big", "pct-10", 400, 200, 1),
      ...units("Big", "pct-15", 400, 300, 2),
      ...units("Big", "pct-20", 400, 600, 3),
      // Three customers per arm whose noisy means point the other way.
      ...units("Tiny", "pct-10", 3, 700, 4),
      ...units("Tiny", "pct-15", 3, 300, 5),
      ...units("Tiny", "pct-20", 3, 400, 6),
    ];
    const a = allocateArms(data, KEYS, mulberry32(2));
    const tiny = a.bySegment["Tiny"];
    expect(tiny[2]).toBeGreaterThan(tiny[0]);
    // Without pooling (prior worth ~0 customers) the tiny segment's own noise would win.
    const unpooled = allocateArms(data, KEYS, mulberry32(2), { priorCustomers: 1e-6 });
    expect(unpooled.bySegment["Tiny"][0]).toBeGreaterThan(unpooled.bySegment["Tiny"][2]);
  });
});
