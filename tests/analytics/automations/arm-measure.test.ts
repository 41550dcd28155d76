import { describe, expect, it } from "vitest";
import { compareArms, recommendArms, type ArmOutcome } from "~/analytics/automations";
import { mulberry32 } from "~/analytics/rng";

/**
 * Per-arm results vs the holdout (D39). The experiments give segments different allocations (as
 * the bandit does), so only the weighted (Hájek) estimate targets the population's average effect.
 */

const KEYS = ["pct-10", "pct-20"];
const DEPTH: Record<string, number> = { "pct-10": 0.1, "pct-20": 0.2 };
// Segment → organic P(buy), uplift per arm, order value; arm shares among treated differ by segment.
const SEGMENTS = [
  { name: "At risk", n: 900, p0: 0.05, uplift: { "pct-10": 0.1, "pct-20": 0.25 }, value: 6000, shares: [0.2, 0.8] },
  { name: "Dormant", n: 900, p0: 0.3, uplift: { "pct-10": 0.1, "pct-20": 0.12 }, value: 8000, shares: [0.8, 0.2] },
];
const H = 0.2;
const M = 0.5;

const trueLift = (s: (typeof SEGMENTS)[number], arm: string) =>
  (s.p0 + s.uplift[arm as "pct-10"]) * s.value * (M - DEPTH[arm]) - s.p0 * s.value * M;
const populationLift = (arm: string) => SEGMENTS.reduce((t, s) => t + (s.n / 1800) * trueLift(s, arm), 0);

function experiment(seed: number): ArmOutcome[] {
  const rng = mulberry32(seed);
  const out: ArmOutcome[] = [];
  for (const s of SEGMENTS)
    for (let i = 0; i < s.n; i++) {
      const u = rng();
      const slot = u < H ? null : u < H + (1 - H) * s.shares[0] ? "pct-10" : "pct-20";
      const p = slot ? (1 - H) * s.shares[slot === "pct-10" ? 0 : 1] : H;
      const depth = slot ? DEPTH[slot] : 0;
      const buys = rng() < s.p0 + (slot ? s.uplift[slot as "pct-10"] : 0);
      const value = buys ? -Math.log(1 - rng()) * s.value : 0; // exponential order values
      out.push({
        arm: slot ? "TREATMENT" : "HOLDOUT",
        stratum: `${s.name}|low`,
        segment: s.name,
        offerArm: slot,
        weight: 1 / p,
        orders: buys ? 1 : 0,
        revenueMinor: value * (1 - depth),
        discountMinor: value * depth,
        marginMinor: value * (M - depth),
        redeemed: buys && !!slot,
        redeemedRevenueMinor: 0,
      });
    }
  return out;
}

describe("compareArms", () => {
  it("90% intervals of each arm's margin lift cover the population truth in ≥ 85% of 120 experiments", () => {
    let covered = 0;
    let total = 0;
    let biasWeighted = 0;
    for (let e = 0; e < 120; e++) {
      const c = compareArms(experiment(e + 1), KEYS, { rng: mulberry32(1000 + e), resamples: 300 });
      for (const a of c.arms) {
        const truth = populationLift(a.arm);
        const i = a.effect!.marginPerCustomerMinor;
        total++;
        if (i.low <= truth && truth <= i.high) covered++;
        biasWeighted += (i.estimate - truth) / 240;
      }
    }
    expect(covered / total).toBeGreaterThanOrEqual(0.85);
    expect(Math.abs(biasWeighted)).toBeLessThan(40); // minor units per customer; the lifts are ~700–1,100
  });

  it("reports conversion, revenue and discount lifts with intervals, and not enough data per arm", () => {
    const units = experiment(5);
    const c = compareArms(units, KEYS, { rng: mulberry32(1), resamples: 200 });
    const e = c.arms[1].effect!;
    expect(e.conversionLift.low).toBeLessThan(e.conversionLift.estimate);
    expect(e.discountPerCustomerMinor.low).toBeGreaterThan(0);
    expect(e.revenuePerCustomerMinor.high).toBeGreaterThan(e.revenuePerCustomerMinor.low);
    const few = compareArms(
      units.filter((u) => u.offerArm !== "pct-20" || u.revenueMinor > 0).slice(0, 200),
      [...KEYS, "pct-30"],
      { rng: mulberry32(1), resamples: 50 },
    );
    expect(few.arms[2].effect).toBeNull();
    expect(few.arms[2].notEnough).toMatch(/need 20 customers/);
  });
});

describe("recommendArms", () => {
  it("names the best arm per segment, its lead with an interval, and the arms that lose margin", () => {
    // Dormant: 10% earns more; 20% loses margin (0.42·0.3 − 0.3·0.5 < 0 per unit of order value).
    const units = [1, 2, 3, 4, 5, 6, 7, 8].flatMap((s) => experiment(s));
    const r = recommendArms(units, KEYS, { rng: mulberry32(4), resamples: 300 });
    const lost = r.bySegment.find((s) => s.segment === "Dormant")!;
    const risk = r.bySegment.find((s) => s.segment === "At risk")!;
    expect(lost.best).toBe("pct-10");
    expect(lost.clear).toBe(true);
    expect(lost.runnerUp!.marginDifference.low).toBeGreaterThan(0);
    expect(lost.losing).toContain("pct-20");
    expect(risk.best).toBe("pct-20");
    expect(r.overall.segment).toBeNull();
  });
});
