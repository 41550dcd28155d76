/**
 * Offer tests by simulation (issue #18 item 5): a shop whose customers answer discounts by the
 * known curves of offer-response.ts, planned by the real engine (planAutomation with arms),
 * measured by the real estimator (compareArms) and re-allocated by the real bandit (allocateArms)
 * run after run. Outcomes are drawn per customer, not through orders, so hundreds of shops fit in
 * a benchmark; the stand-in's demo (simulate-uplift.ts) uses the same curves through real orders.
 */
import {
  allocateArms,
  compareArms,
  planAutomation,
  stratumSegment,
  toArms,
  type Allocation,
  type ArmOutcome,
  type CustomerFacts,
  type PlanInput,
} from "../app/analytics/automations";
import { mulberry32 } from "../app/analytics/rng";
import { offerUplift, trueMarginLift } from "./offer-response";
import { chance, gamma, subSeed } from "./seed/random";

/** One simulated segment: its size per run, organic P(buy in the window) and mean order value. */
export interface SimSegment {
  name: string;
  customersPerRun: number;
  p0: number;
  orderMinor: number;
}

export const SIM_SEGMENTS: readonly SimSegment[] = [
  { name: "At risk", customersPerRun: 800, p0: 0.03, orderMinor: 6000 },
  { name: "Dormant", customersPerRun: 800, p0: 0.2, orderMinor: 8000 },
  { name: "Needs attention", customersPerRun: 800, p0: 0.08, orderMinor: 7000 },
];
export const SIM_DEPTHS = [0.1, 0.15, 0.2] as const;
export const SIM_MARGIN = 0.5;
const ORDER_SHAPE = 2;

export interface SimRun {
  run: number;
  /** True expected incremental margin of what the policy assigned, and of the oracle on the same customers. */
  policyMinor: number;
  oracleMinor: number;
  equalMinor: number;
  allocation: Allocation;
}

export interface SimResult {
  runs: SimRun[];
  /** Per segment: depth with the largest final share vs the oracle's depth. */
  chosen: { segment: string; chosen: number; oracle: number }[];
  /** 90% intervals of every arm's margin lift (per segment and overall) at the horizon: [covered, total]. */
  coverage: [number, number];
}

function facts(seed: number, run: number): CustomerFacts[] {
  const rng = mulberry32(subSeed(seed, `facts:${run}`));
  const out: CustomerFacts[] = [];
  for (const s of SIM_SEGMENTS)
    for (let i = 0; i < s.customersPerRun; i++)
      out.push({
        gid: `gid://shopify/Customer/${run}-${s.name}-${i}`,
        segment: s.name,
        churnRisk: 0.8,
        pPurchase: s.p0,
        pAlive: 0.5,
        clvMinor: 0,
        orders: 2,
        firstOrderAt: 0,
        lastOrderAt: 0,
        spentMinor: 2 * s.orderMinor,
        aovMinor: Math.round(gamma(rng, ORDER_SHAPE, s.orderMinor / ORDER_SHAPE)),
        marketingState: "SUBSCRIBED",
        lastOfferAt: null,
        productsBought: [],
      });
  return out;
}

function planInput(allocation: Allocation | null): PlanInput {
  return {
    type: "WIN_BACK",
    offer: { kind: "PERCENTAGE", value: SIM_DEPTHS[0] },
    arms: toArms(SIM_DEPTHS.map((value) => ({ kind: "PERCENTAGE" as const, value }))),
    allocation,
    maxDiscountShare: 0.3,
    rules: {
      winBack: { minChurnRisk: 0.6, minPAlive: 0.05, minOrders: 1 },
      vip: { segments: [], topClvShare: 0.05 },
      secondPurchase: { gapMultiplier: 1, maxGapMultiplier: 3 },
      bundle: { productA: null, productB: null, productBPriceMinor: 0, minPAlive: 0.2 },
    },
    holdoutShare: 0.2,
    codeExpiryDays: 14,
    budgetPerRunMinor: null,
    budgetPerMonthMinor: null,
    monthCommittedMinor: 0,
    maxCustomers: null,
    suppressionDays: 0,
    requireMarketingConsent: false,
    skipLikelyBuyers: { enabled: false, pPurchaseAbove: 0.8, minOrders: 3 },
    marginShare: SIM_MARGIN,
    horizonDays: 14,
    assumedUplift: 0.03,
    typicalSecondGapDays: 60,
    shopAovMinor: 7000,
  };
}

const segmentOf = (name: string) => SIM_SEGMENTS.find((s) => s.name === name)!;
const lift = (segment: string, depth: number) => {
  const s = segmentOf(segment);
  return trueMarginLift(segment, s.p0, depth, s.orderMinor, SIM_MARGIN);
};
const bestDepth = (segment: string) => SIM_DEPTHS.reduce((a, d) => (lift(segment, d) > lift(segment, a) ? d : a));

/** One simulated shop over `runs` runs of the same offer test. */
export function simulateOfferPolicy(
  seed: number,
  runs: number,
  opts: { resamples?: number; learn?: boolean } = {},
): SimResult {
  // learn: false keeps the equal split every run (the non-adaptive control for coverage).
  const learn = opts.learn ?? true;
  const arms = planInput(null).arms!;
  const depthOf = new Map(arms.map((a) => [a.key, a.value]));
  const units: ArmOutcome[] = [];
  const out: SimRun[] = [];
  let allocation: Allocation | null = null;
  for (let r = 0; r < runs; r++) {
    const plan = planAutomation(facts(seed, r), planInput(allocation), 0, mulberry32(subSeed(seed, `plan:${r}`)));
    const rng = mulberry32(subSeed(seed, `outcome:${r}`));
    let policy = 0;
    let oracle = 0;
    let equal = 0;
    for (const a of plan.assignments) {
      const segment = stratumSegment(a.stratum);
      const s = segmentOf(segment);
      const depth = a.offerArm ? depthOf.get(a.offerArm)! : 0;
      const buys = chance(rng, s.p0 + offerUplift(segment, depth));
      const value = buys ? gamma(rng, ORDER_SHAPE, s.orderMinor / ORDER_SHAPE) : 0;
      units.push({
        arm: a.arm,
        stratum: a.stratum,
        segment,
        offerArm: a.offerArm ?? null,
        weight: 1 / a.armProbability!,
        orders: buys ? 1 : 0,
        revenueMinor: value * (1 - depth),
        discountMinor: value * depth,
        marginMinor: value * (SIM_MARGIN - depth),
        redeemed: buys && depth > 0,
        redeemedRevenueMinor: buys && depth > 0 ? value * (1 - depth) : 0,
      });
      if (a.arm !== "TREATMENT") continue;
      policy += lift(segment, depth);
      oracle += lift(segment, bestDepth(segment));
      equal += SIM_DEPTHS.reduce((t, d) => t + lift(segment, d), 0) / SIM_DEPTHS.length;
    }
    out.push({ run: r + 1, policyMinor: policy, oracleMinor: oracle, equalMinor: equal, allocation: plan.allocation! });
    allocation = !learn
      ? null
      : allocateArms(
          units,
          arms.map((a) => a.key),
          mulberry32(subSeed(seed, `bandit:${r}`)),
        );
  }
  const keys = arms.map((a) => a.key);
  const chosen = SIM_SEGMENTS.map((s) => {
    const shares = allocation?.bySegment[s.name] ?? allocation?.pooled ?? SIM_DEPTHS.map(() => 1 / SIM_DEPTHS.length);
    return { segment: s.name, chosen: SIM_DEPTHS[shares.indexOf(Math.max(...shares))], oracle: bestDepth(s.name) };
  });
  // Coverage: every arm's 90% interval per segment and over everyone against the true lift.
  let covered = 0;
  let total = 0;
  const check = (list: ArmOutcome[], truth: (depth: number) => number, label: string) => {
    const c = compareArms(list, keys, { rng: mulberry32(subSeed(seed, `cover:${label}`)), resamples: opts.resamples });
    c.arms.forEach((a) => {
      if (!a.effect) return;
      const t = truth(depthOf.get(a.arm)!);
      total++;
      if (a.effect.marginPerCustomerMinor.low <= t && t <= a.effect.marginPerCustomerMinor.high) covered++;
    });
  };
  for (const s of SIM_SEGMENTS)
    check(
      units.filter((u) => u.segment === s.name),
      (d) => lift(s.name, d),
      s.name,
    );
  const n = SIM_SEGMENTS.reduce((t, s) => t + s.customersPerRun, 0);
  check(units, (d) => SIM_SEGMENTS.reduce((t, s) => t + (s.customersPerRun / n) * lift(s.name, d), 0), "all");
  return { runs: out, chosen, coverage: [covered, total] };
}

export { bestDepth as oracleDepth, lift as simTrueLift };
