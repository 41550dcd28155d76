import { describe, expect, it } from "vitest";
import { planAutomation, toArms, type CustomerFacts, type PlanInput } from "~/analytics/automations";
import { mulberry32 } from "~/analytics/rng";
import { planInput } from "./plan-input";

/** Planning with offer arms (D39): guardrails over the sum of arms, the merchant's maximum, the holdout share. */

const AS_OF = Date.parse("2026-03-01T00:00:00Z");
const pct = (value: number) => ({ kind: "PERCENTAGE" as const, value });

function customer(i: number): CustomerFacts {
  return {
    gid: `gid://shopify/Customer/${i}`,
    segment: i % 2 ? "At risk" : "Almost lost",
    churnRisk: 0.8,
    pPurchase: 0.1 + (i % 10) / 50,
    pAlive: 0.4,
    clvMinor: 5000,
    orders: 2,
    firstOrderAt: AS_OF - 300 * 86_400_000,
    lastOrderAt: AS_OF - 150 * 86_400_000,
    spentMinor: 12000,
    aovMinor: 3000 + (i % 17) * 400,
    marketingState: "SUBSCRIBED",
    lastOfferAt: null,
    productsBought: [],
  };
}

function input(over: Partial<PlanInput> = {}): PlanInput {
  return planInput({
    offer: pct(0.1),
    arms: toArms([pct(0.1), pct(0.15), pct(0.2)]),
    maxDiscountShare: 0.3,
    typicalSecondGapDays: 60,
    shopAovMinor: 6000,
    ...over,
  });
}

const customers = Array.from({ length: 600 }, (_, i) => customer(i));

describe("planning an offer test", () => {
  it("holds out exactly h per stratum (segment × value band) and splits the rest by the allocation", () => {
    const plan = planAutomation(
      customers,
      input({ allocation: { pooled: [0.6, 0.3, 0.1], bySegment: { "At risk": [0.1, 0.1, 0.8] }, source: "learned" } }),
      AS_OF,
      mulberry32(3),
    );
    const strata = new Set(plan.assignments.map((a) => a.stratum));
    expect([...strata].sort()).toEqual(["Almost lost|high", "Almost lost|low", "At risk|high", "At risk|low"]);
    for (const s of strata) {
      const members = plan.assignments.filter((a) => a.stratum === s);
      const held = members.filter((a) => a.arm === "HOLDOUT").length;
      expect(Math.abs(held - 0.2 * members.length)).toBeLessThanOrEqual(1);
      const shares = s.startsWith("At risk") ? [0.1, 0.1, 0.8] : [0.6, 0.3, 0.1];
      ["pct-10", "pct-15", "pct-20"].forEach((k, i) => {
        const n = members.filter((a) => a.offerArm === k).length;
        expect(Math.abs(n - 0.8 * shares[i] * members.length)).toBeLessThanOrEqual(1);
      });
    }
    // The probability recorded on each row is the one the draw used.
    const t = plan.assignments.find((a) => a.stratum === "At risk|low" && a.offerArm === "pct-20")!;
    expect(t.armProbability).toBeCloseTo(0.8 * 0.8);
    expect(plan.assignments.find((a) => a.arm === "HOLDOUT")!.armProbability).toBe(0.2);
    expect(plan.arms!.reduce((s, a) => s + a.treated, 0)).toBe(plan.treated);
  });

  it("is reproducible: same seed, same arms", () => {
    const a = planAutomation(customers, input(), AS_OF, mulberry32(9));
    const b = planAutomation(customers.slice().reverse(), input(), AS_OF, mulberry32(9));
    const arm = new Map(b.assignments.map((x) => [x.gid, x.offerArm ?? x.arm]));
    expect(a.assignments.every((x) => arm.get(x.gid) === (x.offerArm ?? x.arm))).toBe(true);
  });

  it("the budget caps the sum of arms for every draw: worst case priced at the deepest arm", () => {
    const cap = 20_000;
    for (let seed = 0; seed < 30; seed++) {
      const plan = planAutomation(customers, input({ budgetPerRunMinor: cap }), AS_OF, mulberry32(seed));
      expect(plan.budgetLimited).toBe("run");
      expect(plan.worstCaseCostMinor).toBeLessThanOrEqual(cap);
      expect(plan.expectedCostMinor).toBeLessThanOrEqual(cap);
      expect(plan.arms!.reduce((s, a) => s + a.expectedCostMinor, 0)).toBeLessThanOrEqual(cap + 3);
      // Pricing every customer at the deepest arm would still fit (the bound the cap checks).
      const deepest = planAutomation(
        customers,
        input({ budgetPerRunMinor: cap, arms: toArms([pct(0.2), pct(0.21)]) }),
        AS_OF,
        mulberry32(seed),
      );
      expect(deepest.worstCaseCostMinor).toBeLessThanOrEqual(cap);
    }
  });

  it("refuses an arm deeper than the merchant's maximum", () => {
    expect(() => planAutomation(customers, input({ maxDiscountShare: 0.15 }), AS_OF, mulberry32(1))).toThrow(/deeper/);
  });

  it("keeps only customers who stay profitable under the deepest arm", () => {
    const thin = planAutomation(customers, input({ marginShare: 0.18 }), AS_OF, mulberry32(1));
    const single = planAutomation(customers, input({ marginShare: 0.18, arms: [] }), AS_OF, mulberry32(1));
    expect(thin.assignments.length).toBe(0); // 20% off ≥ 18% margin: nobody can receive every arm
    expect(single.assignments.length).toBeGreaterThan(0); // the single 10% offer still fits
    expect(single.assignments.every((a) => a.offerArm === undefined)).toBe(true);
  });
});
