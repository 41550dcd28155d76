import { describe, expect, it } from "vitest";
import { resultsReadiness, resultsSeries, type TimedUnit } from "~/analytics/automations";
import { mulberry32 } from "~/analytics/rng";
import { DAY_MS } from "~/analytics/time";

/** n customers of one arm; `buyers` of them order once at `day` (margin `margin`). */
function arm(
  arm: TimedUnit["arm"],
  n: number,
  buyers: number,
  day: number,
  margin: number,
  observedDays: number,
): TimedUnit[] {
  return Array.from({ length: n }, (_, i) => ({
    arm,
    stratum: "At risk",
    observedMs: observedDays * DAY_MS,
    orders:
      i < buyers
        ? [
            {
              offsetMs: day * DAY_MS + 1,
              revenueMinor: margin * 2,
              marginMinor: margin,
              discountMinor: 0,
              redeemed: arm === "TREATMENT",
            },
          ]
        : [],
  }));
}

describe("resultsSeries", () => {
  it("is cumulative: conversion steps up on the day orders happen, with an interval around the lift", () => {
    const units = [...arm("TREATMENT", 100, 30, 3, 1000, 10), ...arm("HOLDOUT", 100, 10, 3, 1000, 10)];
    const s = resultsSeries(units, { rng: mulberry32(1), windowMs: 30 * DAY_MS });
    expect(s.map((p) => p.day)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(s[3].treated.conversionRate).toBe(0);
    expect(s[4].treated.conversionRate).toBeCloseTo(0.3, 9);
    expect(s[4].holdout.conversionRate).toBeCloseTo(0.1, 9);
    const last = s[s.length - 1];
    expect(last.conversionLift!.estimate).toBeCloseTo(0.2, 9);
    expect(last.conversionLift!.low).toBeLessThan(0.2);
    expect(last.conversionLift!.high).toBeGreaterThan(0.2);
    expect(last.marginPerCustomerMinor!.estimate).toBeCloseTo(200, 6);
    expect(last.totalIncrementalMarginMinor!.estimate).toBeCloseTo(200 * 100, 3);
  });

  it("pools runs by days since their own start: a younger run is not counted past its age", () => {
    const old = [...arm("TREATMENT", 50, 10, 1, 500, 20), ...arm("HOLDOUT", 50, 5, 1, 500, 20)];
    const young = [...arm("TREATMENT", 50, 0, 0, 0, 5), ...arm("HOLDOUT", 50, 0, 0, 0, 5)];
    const s = resultsSeries([...old, ...young], { rng: mulberry32(2), windowMs: 30 * DAY_MS });
    expect(s.find((p) => p.day === 5)!.treated.customers).toBe(100);
    expect(s.find((p) => p.day === 6)!.treated.customers).toBe(50);
    expect(s.find((p) => p.day === 6)!.treated.conversionRate).toBeCloseTo(0.2, 9);
  });

  it("goes weekly for long windows, stops at the window end, and has no interval for an empty arm", () => {
    const s = resultsSeries(arm("TREATMENT", 10, 2, 1, 100, 200), { rng: mulberry32(3), windowMs: 90 * DAY_MS });
    expect(s[1].day).toBe(7);
    expect(s[s.length - 1].day).toBe(90);
    expect(s.every((p) => p.conversionLift === null)).toBe(true);
  });
});

describe("resultsReadiness", () => {
  it("needs more customers when an arm is too small (waiting does not help)", () => {
    const r = resultsReadiness([...arm("TREATMENT", 30, 0, 0, 0, 2), ...arm("HOLDOUT", 5, 0, 0, 0, 2)], {
      windowMs: 30 * DAY_MS,
    });
    expect(r).toEqual({ status: "NEEDS_CUSTOMERS", treated: 30, holdout: 5, minPerArm: 20 });
  });

  it("cannot project without a single buyer", () => {
    expect(
      resultsReadiness([...arm("TREATMENT", 40, 0, 0, 0, 2), ...arm("HOLDOUT", 40, 0, 0, 0, 2)], {
        windowMs: 30 * DAY_MS,
      }).status,
    ).toBe("NO_RATE_YET");
  });

  it("projects the date from the observed rate: 4 of 100 bought in 4 days → the 10th around day 10", () => {
    const units = [...arm("TREATMENT", 50, 2, 1, 100, 4), ...arm("HOLDOUT", 50, 2, 1, 100, 4)];
    const r = resultsReadiness(units, { windowMs: 30 * DAY_MS });
    expect(r.status).toBe("EXPECTED");
    if (r.status !== "EXPECTED") return;
    // rate = 4 / (4 × 1 day + 96 × 4 days) per day; 6 more of 96 need 96·(1 − e^(−rate·d)) = 6.
    const rate = 4 / (4 + 96 * 4);
    const d = -Math.log(1 - 6 / 96) / rate;
    expect(r.inMs / DAY_MS).toBeCloseTo(d, 1);
    expect(r.needed).toBe(10);
  });

  it("says when the window closes first, and READY once there are enough buyers", () => {
    const slow = [...arm("TREATMENT", 50, 1, 1, 100, 28), ...arm("HOLDOUT", 50, 0, 1, 100, 28)];
    expect(resultsReadiness(slow, { windowMs: 30 * DAY_MS }).status).toBe("NOT_IN_WINDOW");
    const ready = [...arm("TREATMENT", 50, 8, 1, 100, 5), ...arm("HOLDOUT", 50, 2, 1, 100, 5)];
    expect(resultsReadiness(ready, { windowMs: 30 * DAY_MS })).toEqual({ status: "READY" });
  });
});
