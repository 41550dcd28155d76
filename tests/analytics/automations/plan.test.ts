import { describe, expect, it } from "vitest";
import {
  guardrailReason,
  largestAffordablePrefix,
  planAutomation,
  selectQualifying,
  stratifiedHoldout,
  typicalSecondGapDays,
  windowProbability,
  worstCaseTreatedCost,
  writebackTags,
  type CustomerFacts,
} from "~/analytics/automations";
import { mulberry32 } from "~/analytics/rng";
import { planInput } from "./plan-input";

const DAY = 86_400_000;
const AS_OF = Date.parse("2026-03-01T00:00:00Z");

function customer(i: number, over: Partial<CustomerFacts> = {}): CustomerFacts {
  return {
    gid: `gid://shopify/Customer/${i}`,
    segment: "At risk",
    churnRisk: 0.8,
    pPurchase: 0.2,
    pAlive: 0.4,
    clvMinor: 5000,
    orders: 2,
    firstOrderAt: AS_OF - 300 * DAY,
    lastOrderAt: AS_OF - 150 * DAY,
    spentMinor: 12000,
    aovMinor: 6000,
    marketingState: "SUBSCRIBED",
    lastOfferAt: null,
    productsBought: [],
    ...over,
  };
}

const input = planInput;

describe("eligibility rules", () => {
  it("win-back: churn risk above the threshold, still somewhat alive, has ordered", () => {
    const cs = [
      customer(1),
      customer(2, { churnRisk: 0.3 }),
      customer(3, { pAlive: 0.01 }),
      customer(4, { orders: 0 }),
    ];
    expect(selectQualifying(cs, input(), AS_OF).map((c) => c.gid)).toEqual([cs[0].gid]);
  });

  it("VIP: Champions or top CLV share of buyers", () => {
    const cs = Array.from({ length: 40 }, (_, i) =>
      customer(i, { segment: i === 0 ? "Champions" : "Loyal", clvMinor: i * 100 }),
    );
    const q = selectQualifying(cs, input({ type: "VIP_REWARD" }), AS_OF).map((c) => c.gid);
    // Champion #0 plus the top 5% (2 of 40) by CLV: #39 and #38.
    expect(q.sort()).toEqual([cs[0].gid, cs[38].gid, cs[39].gid].sort());
  });

  it("second purchase: one-time buyers between 1× and 3× the typical gap", () => {
    const cs = [
      customer(1, { orders: 1, firstOrderAt: AS_OF - 20 * DAY }),
      customer(2, { orders: 1, firstOrderAt: AS_OF - 50 * DAY }),
      customer(3, { orders: 1, firstOrderAt: AS_OF - 200 * DAY }),
      customer(4, { orders: 2, firstOrderAt: AS_OF - 50 * DAY }),
    ];
    expect(selectQualifying(cs, input({ type: "SECOND_PURCHASE" }), AS_OF).map((c) => c.gid)).toEqual([cs[1].gid]);
  });

  it("bundle: bought A, never B", () => {
    const A = "gid://shopify/Product/1";
    const B = "gid://shopify/Product/2";
    const cs = [
      customer(1, { productsBought: [A] }),
      customer(2, { productsBought: [A, B] }),
      customer(3, { productsBought: [] }),
    ];
    const rules = { ...input().rules, bundle: { productA: A, productB: B, productBPriceMinor: 2000, minPAlive: 0.2 } };
    expect(selectQualifying(cs, input({ type: "BUNDLE_OFFER", rules }), AS_OF).map((c) => c.gid)).toEqual([cs[0].gid]);
  });

  it("typical second-order gap is the median, with a fallback for thin data", () => {
    expect(typicalSecondGapDays([10, 20, 30, 40, 100])).toBe(30);
    expect(typicalSecondGapDays([10, 20])).toBe(60);
  });
});

describe("guardrails", () => {
  it("suppression window, marketing consent, likely buyers (only with enough history), unprofitable offers", () => {
    expect(guardrailReason(customer(1, { lastOfferAt: AS_OF - 10 * DAY }), input(), AS_OF)).toBe("suppressed");
    expect(guardrailReason(customer(1, { lastOfferAt: AS_OF - 40 * DAY }), input(), AS_OF)).toBeNull();
    expect(guardrailReason(customer(1, { marketingState: "UNSUBSCRIBED" }), input(), AS_OF)).toBe(
      "no-marketing-consent",
    );
    expect(guardrailReason(customer(1, { marketingState: "NOT_SUBSCRIBED" }), input(), AS_OF)).toBe(
      "no-marketing-consent",
    );
    // Without messages, consent is not required.
    expect(
      guardrailReason(
        customer(1, { marketingState: "UNSUBSCRIBED" }),
        input({ requireMarketingConsent: false }),
        AS_OF,
      ),
    ).toBeNull();
    expect(guardrailReason(customer(1, { pPurchase: 0.9, orders: 5 }), input(), AS_OF)).toBe("likely-buyer");
    // Confident only with history: a 1-order customer at 0.9 is not skipped.
    expect(guardrailReason(customer(1, { pPurchase: 0.9, orders: 1 }), input(), AS_OF)).toBeNull();
    // 60% off with a 50% margin loses money on every redeemed order.
    expect(guardrailReason(customer(1), input({ offer: { kind: "PERCENTAGE", value: 0.6 } }), AS_OF)).toBe(
      "unprofitable",
    );
  });

  it("window probability converts the horizon probability with a constant hazard", () => {
    expect(windowProbability(0.5, 90, 90)).toBeCloseTo(0.5, 9);
    expect(windowProbability(0.75, 90, 45)).toBeCloseTo(0.5, 9);
    expect(windowProbability(0, 90, 14)).toBe(0);
  });
});

describe("stratified holdout", () => {
  it("holds out each customer with probability h, stratum by stratum", () => {
    const strata = [...Array(7).fill("A"), ...Array(3).fill("B"), ...Array(1).fill("C")];
    const held = new Array(strata.length).fill(0);
    const N = 4000;
    for (let s = 0; s < N; s++) {
      const arms = stratifiedHoldout(strata, 0.2, mulberry32(s + 1));
      arms.forEach((a, i) => (held[i] += a === "HOLDOUT" ? 1 : 0));
      // Within a stratum the count is ⌊h·n⌋ or ⌈h·n⌉.
      const inA = arms.filter((a, i) => strata[i] === "A" && a === "HOLDOUT").length;
      expect([1, 2]).toContain(inA);
    }
    for (const h of held) {
      expect(h / N).toBeGreaterThan(0.17);
      expect(h / N).toBeLessThan(0.23);
    }
  });

  it("is reproducible from the seed", () => {
    const strata = Array.from({ length: 50 }, (_, i) => (i % 3 ? "X" : "Y"));
    expect(stratifiedHoldout(strata, 0.2, mulberry32(9))).toEqual(stratifiedHoldout(strata, 0.2, mulberry32(9)));
  });
});

describe("budget cap", () => {
  it("worst-case treated cost of the kept prefix never exceeds the cap, whatever the draw", () => {
    const rng = mulberry32(3);
    for (let trial = 0; trial < 50; trial++) {
      const cs = Array.from({ length: 120 }, (_, i) =>
        customer(i, {
          segment: ["At risk", "Dormant", "Almost lost"][i % 3],
          aovMinor: 2000 + Math.floor(rng() * 20000),
          pPurchase: rng() * 0.7,
        }),
      );
      const cap = 2000 + Math.floor(rng() * 30000);
      const plan = planAutomation(
        cs,
        input({ budgetPerRunMinor: cap, requireMarketingConsent: false }),
        AS_OF,
        mulberry32(trial),
      );
      const treatedCost = plan.assignments
        .filter((a) => a.arm === "TREATMENT")
        .reduce((s, a) => s + a.expectedCostMinor, 0);
      expect(treatedCost).toBeLessThanOrEqual(cap + 1e-6);
      expect(plan.worstCaseCostMinor).toBeLessThanOrEqual(cap + 1);
      if (plan.budgetLimited) expect(plan.excluded["over-budget"]).toBeGreaterThan(0);
    }
  });

  it("the monthly cap counts what earlier runs committed", () => {
    const cs = Array.from({ length: 100 }, (_, i) => customer(i));
    // ≈ 58 minor units expected cost per treated customer → 100 customers ≈ 4,600 when 80 are treated.
    const free = planAutomation(cs, input({ budgetPerMonthMinor: 10_000 }), AS_OF, mulberry32(1));
    const half = planAutomation(
      cs,
      input({ budgetPerMonthMinor: 4_000, monthCommittedMinor: 2_000 }),
      AS_OF,
      mulberry32(1),
    );
    const none = planAutomation(
      cs,
      input({ budgetPerMonthMinor: 4_000, monthCommittedMinor: 4_000 }),
      AS_OF,
      mulberry32(1),
    );
    expect(free.assignments).toHaveLength(100);
    expect(half.assignments.length).toBeLessThan(free.assignments.length);
    expect(half.expectedCostMinor).toBeLessThanOrEqual(2_000);
    expect(half.budgetLimited).toBe("month");
    expect(none.assignments).toHaveLength(0);
  });

  it("largestAffordablePrefix is the exact boundary", () => {
    const cands = Array.from({ length: 30 }, (_, i) => ({
      gid: String(i),
      stratum: "S",
      arm: "TREATMENT" as const,
      pWindow: 0.1,
      expectedCostMinor: 100,
      expectedLiftMinor: 0,
      priority: -i,
    }));
    const n = largestAffordablePrefix(cands, 0.2, 1000);
    expect(worstCaseTreatedCost(cands.slice(0, n), 0.2)).toBeLessThanOrEqual(1000);
    expect(worstCaseTreatedCost(cands.slice(0, n + 1), 0.2)).toBeGreaterThan(1000);
  });
});

describe("planAutomation", () => {
  it("filters before randomising, orders by priority and reports expected cost and lift", () => {
    const cs = [
      ...Array.from({ length: 50 }, (_, i) => customer(i, { spentMinor: 1000 * (i + 1) })),
      customer(100, { marketingState: "UNSUBSCRIBED" }),
      customer(101, { lastOfferAt: AS_OF - DAY }),
      customer(102, { churnRisk: 0.1 }),
    ];
    const plan = planAutomation(cs, input({ maxCustomers: 40 }), AS_OF, mulberry32(5));
    expect(plan.qualifying).toBe(52);
    expect(plan.excluded).toEqual({ "no-marketing-consent": 1, suppressed: 1, "over-max-customers": 10 });
    expect(plan.assignments).toHaveLength(40);
    expect(plan.treated + plan.holdout).toBe(40);
    expect(plan.holdout).toBe(8);
    // Highest historic value first.
    expect(plan.assignments[0].gid).toBe(cs[49].gid);
    expect(plan.expectedCostMinor).toBeGreaterThan(0);
    const p0 = windowProbability(0.2, 90, 14);
    const perCustomerCost = (p0 + 0.03) * 6000 * 0.15;
    expect(plan.expectedCostMinor).toBeCloseTo(perCustomerCost * plan.treated, -1);
    expect(plan.expectedLiftMinor).toBeCloseTo((0.03 * 6000 * 0.5 - perCustomerCost) * plan.treated, -1);
  });
});

describe("segment write-back tags", () => {
  it("adds our segment/churn tags and removes only our stale ones", () => {
    const change = writebackTags(["VIP", "gp-segment-loyal", "gp-churn-low"], "At risk", 0.7);
    expect(change.add).toEqual(["gp-segment-at-risk", "gp-churn-high"]);
    expect(change.remove).toEqual(["gp-segment-loyal", "gp-churn-low"]);
    expect(writebackTags(["gp-segment-at-risk", "gp-churn-high"], "At risk", 0.7)).toMatchObject({
      add: [],
      remove: [],
    });
  });
});
