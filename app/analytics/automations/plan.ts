import { sum } from "../stats";
import { DAY_MS } from "../time";
import type { Rng } from "../types";
import type { Arm, CustomerFacts, ExclusionReason, OfferSpec, Plan, PlanInput, PlannedCustomer } from "./types";
import { ENGINE_KINDS } from "./kinds";
import { armsProblem, armStratum, stratifiedSlots, valueBand } from "./arms";
import { equalShares, type Allocation } from "./bandit";

/**
 * Planning an automation run: eligibility rule of the type → guardrails → priority order →
 * customer and budget caps → stratified random holdout. Every filter runs *before* randomisation,
 * so treatment and holdout are drawn from the same population and their difference is causal.
 */
export function planAutomation(customers: readonly CustomerFacts[], input: PlanInput, asOf: number, rng: Rng): Plan {
  const qualifying = selectQualifying(customers, input, asOf);
  const excluded: Partial<Record<ExclusionReason, number>> = {};
  const count = (r: ExclusionReason, n = 1) => {
    if (n > 0) excluded[r] = (excluded[r] ?? 0) + n;
  };

  if (input.arms?.length) {
    const problem = armsProblem(input.arms, input.maxDiscountShare ?? 1, input.shopAovMinor);
    if (problem) throw new Error(problem);
  }
  let candidates: PlannedCustomer[] = [];
  for (const c of qualifying) {
    const reason = guardrailReason(c, input, asOf);
    if (reason) {
      count(reason);
      continue;
    }
    candidates.push(input.arms?.length ? scoreForArms(c, input) : scoreCandidate(c, input));
  }
  candidates.sort((a, b) => b.priority - a.priority || (a.gid < b.gid ? -1 : a.gid > b.gid ? 1 : 0));

  if (input.maxCustomers !== null && candidates.length > input.maxCustomers) {
    count("over-max-customers", candidates.length - input.maxCustomers);
    candidates = candidates.slice(0, input.maxCustomers);
  }
  // Offer tests randomise within segment × value band; the band needs the planned population's median.
  if (input.arms?.length) candidates = withValueBands(candidates);

  const runCap = input.budgetPerRunMinor ?? Infinity;
  const monthCap =
    input.budgetPerMonthMinor === null ? Infinity : Math.max(0, input.budgetPerMonthMinor - input.monthCommittedMinor);
  const cap = Math.min(runCap, monthCap);
  let budgetLimited: Plan["budgetLimited"] = null;
  if (Number.isFinite(cap)) {
    const n = largestAffordablePrefix(candidates, input.holdoutShare, cap);
    if (n < candidates.length) {
      count("over-budget", candidates.length - n);
      candidates = candidates.slice(0, n);
      budgetLimited = monthCap < runCap ? "month" : "run";
    }
  }

  const offerTest = input.arms?.length ? assignOfferArms(candidates, input, rng) : null;
  const assignments = offerTest
    ? offerTest.assignments
    : ((arms) => candidates.map((c, i) => ({ ...c, arm: arms[i] })))(
        stratifiedHoldout(
          candidates.map((c) => c.stratum),
          input.holdoutShare,
          rng,
        ),
      );
  const treated = assignments.filter((a) => a.arm === "TREATMENT");
  return {
    ...(offerTest ? { arms: offerTest.arms, allocation: offerTest.allocation } : {}),
    qualifying: qualifying.length,
    excluded,
    assignments,
    treated: treated.length,
    holdout: assignments.length - treated.length,
    expectedCostMinor: Math.round(sum(treated.map((a) => a.expectedCostMinor))),
    worstCaseCostMinor: Math.round(worstCaseTreatedCost(candidates, input.holdoutShare)),
    expectedLiftMinor: Math.round(sum(treated.map((a) => a.expectedLiftMinor))),
    expectedExtraOrders: treated.length * effectiveUplift(input),
    budgetLimited,
  };
}

/** Customers meeting the automation type's eligibility rule (the kind's own qualifier). */
export function selectQualifying(customers: readonly CustomerFacts[], input: PlanInput, asOf: number): CustomerFacts[] {
  return ENGINE_KINDS[input.type].qualifies(customers, input, asOf);
}

/** The first guardrail a qualifying customer fails, or null. */
export function guardrailReason(c: CustomerFacts, input: PlanInput, asOf: number): ExclusionReason | null {
  if (c.lastOfferAt !== null && asOf - c.lastOfferAt < input.suppressionDays * DAY_MS) return "suppressed";
  if (input.requireMarketingConsent && c.marketingState !== "SUBSCRIBED") return "no-marketing-consent";
  const likely = input.skipLikelyBuyers;
  if (likely.enabled && c.orders >= likely.minOrders && c.pPurchase >= likely.pPurchaseAbove) return "likely-buyer";
  // "Enough expected value": a redeemed order must still make gross margin after the discount.
  // With arms, against the deepest arm: every customer kept must be able to receive any arm.
  const aov = c.aovMinor > 0 ? c.aovMinor : input.shopAovMinor;
  const offers = input.arms?.length ? input.arms : [input.offer];
  if (Math.max(...offers.map((offer) => discountOn({ ...input, offer }, aov))) >= aov * input.marginShare)
    return "unprofitable";
  return null;
}

/** P(≥1 purchase within `days`) from P(≥1 within `horizonDays`), assuming a constant purchase hazard. */
export function windowProbability(pHorizon: number, horizonDays: number, days: number): number {
  const p = Math.min(1 - 1e-9, Math.max(0, pHorizon));
  return 1 - Math.pow(1 - p, days / Math.max(1, horizonDays));
}

/** Discount (minor units) the offer gives on an order of `orderMinor`. */
export function discountOn(input: PlanInput, orderMinor: number): number {
  const offer: OfferSpec = input.offer;
  const base = ENGINE_KINDS[input.type].discountBaseMinor(input, orderMinor);
  return offer.kind === "PERCENTAGE" ? base * offer.value : Math.min(offer.value, base);
}

function effectiveUplift(input: PlanInput): number {
  return Math.max(0, input.assumedUplift);
}

/** Expected cost, expected lift and priority of a customer who passed every guardrail. */
function scoreCandidate(c: CustomerFacts, input: PlanInput): PlannedCustomer {
  const aov = c.aovMinor > 0 ? c.aovMinor : input.shopAovMinor;
  const orderValue = ENGINE_KINDS[input.type].orderValueMinor(input, aov);
  const p0 = windowProbability(c.pPurchase, input.horizonDays, input.codeExpiryDays);
  const p1 = Math.min(1, p0 + effectiveUplift(input));
  const discount = discountOn(input, orderValue);
  // Conservative: everyone who buys in the window (with or without the offer's help) uses the code.
  const expectedCostMinor = p1 * discount;
  const expectedLiftMinor = (p1 - p0) * orderValue * input.marginShare - expectedCostMinor;
  return {
    gid: c.gid,
    stratum: c.segment,
    arm: "TREATMENT",
    pWindow: p0,
    expectedCostMinor,
    expectedLiftMinor,
    priority: ENGINE_KINDS[input.type].priority(c),
  };
}

/**
 * Holdout size per stratum: ⌊h·n⌋ plus one more with probability frac(h·n). Every customer is
 * then held out with probability exactly h (so the plain difference of arm means is unbiased),
 * while each stratum's split stays as close to h as integers allow.
 */
export function stratifiedHoldout(strata: readonly string[], holdoutShare: number, rng: Rng): Arm[] {
  const byStratum = new Map<string, number[]>();
  strata.forEach((s, i) => {
    const list = byStratum.get(s) ?? [];
    list.push(i);
    byStratum.set(s, list);
  });
  const arms: Arm[] = strata.map(() => "TREATMENT");
  // Fixed stratum order so the same seed gives the same assignment.
  for (const key of [...byStratum.keys()].sort()) {
    const members = byStratum.get(key)!;
    const exact = holdoutShare * members.length;
    const k = Math.floor(exact) + (rng() < exact - Math.floor(exact) ? 1 : 0);
    // Partial Fisher–Yates: the first k of a random permutation are held out.
    const idx = members.slice();
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(rng() * (idx.length - i));
      [idx[i], idx[j]] = [idx[j], idx[i]];
      arms[idx[i]] = "HOLDOUT";
    }
  }
  return arms;
}

/**
 * The most the treated arm can cost whatever the randomisation: per stratum, at most ⌈(1−h)·n⌉
 * customers are treated, so the sum of that many largest costs bounds it. Budgets check this bound,
 * which keeps the cap hard without touching the assignment after randomising (that would bias it).
 */
export function worstCaseTreatedCost(candidates: readonly PlannedCustomer[], holdoutShare: number): number {
  const byStratum = new Map<string, number[]>();
  for (const c of candidates) {
    const list = byStratum.get(c.stratum) ?? [];
    list.push(c.expectedCostMinor);
    byStratum.set(c.stratum, list);
  }
  let total = 0;
  for (const costs of byStratum.values()) {
    const maxTreated = costs.length - Math.floor(holdoutShare * costs.length);
    costs.sort((a, b) => b - a);
    total += sum(costs.slice(0, maxTreated));
  }
  return total;
}

/** Largest n such that the first n candidates (priority order) fit the cap in the worst case. */
export function largestAffordablePrefix(
  candidates: readonly PlannedCustomer[],
  holdoutShare: number,
  cap: number,
): number {
  // The worst-case cost is monotone in n, so binary search.
  let lo = 0;
  let hi = candidates.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (worstCaseTreatedCost(candidates.slice(0, mid), holdoutShare) <= cap) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Median days between first and second order of repeat customers; `fallback` with fewer than 5. */
export function typicalSecondGapDays(gapsDays: readonly number[], fallback = 60): number {
  const gaps = gapsDays.filter((g) => Number.isFinite(g) && g > 0).sort((a, b) => a - b);
  if (gaps.length < 5) return fallback;
  const mid = gaps.length >> 1;
  return gaps.length % 2 ? gaps[mid] : (gaps[mid - 1] + gaps[mid]) / 2;
}

// ------------------------------------------------------------------------------------------------
// Offer tests (issue #18, D39)

type ArmCandidate = PlannedCustomer & { aovMinor: number; byArm: { cost: number; lift: number }[] };

/** Cost and lift under every arm; the budget sees the most expensive, so any draw fits the cap. */
function scoreForArms(c: CustomerFacts, input: PlanInput): ArmCandidate {
  const byArm = input.arms!.map((offer) => {
    const s = scoreCandidate(c, { ...input, offer });
    return { cost: s.expectedCostMinor, lift: s.expectedLiftMinor };
  });
  const base = scoreCandidate(c, input);
  return {
    ...base,
    aovMinor: c.aovMinor > 0 ? c.aovMinor : input.shopAovMinor,
    expectedCostMinor: Math.max(...byArm.map((a) => a.cost)),
    expectedLiftMinor: Math.min(...byArm.map((a) => a.lift)),
    byArm,
  };
}

function withValueBands(candidates: PlannedCustomer[]): PlannedCustomer[] {
  const list = candidates as ArmCandidate[];
  const aovs = list.map((c) => c.aovMinor).sort((a, b) => a - b);
  const median = aovs.length ? aovs[aovs.length >> 1] : 0;
  return list.map((c) => ({ ...c, stratum: armStratum(c.stratum, valueBand(c.aovMinor, median)) }));
}

/**
 * Holdout and arms in one stratified draw (arms.ts): slot 0 is the holdout with share h in every
 * stratum, the arms share 1 − h by the segment's allocation. Each customer records the probability
 * of the slot they got, which measurement weights by.
 */
function assignOfferArms(candidates: readonly PlannedCustomer[], input: PlanInput, rng: Rng) {
  const arms = input.arms!;
  const allocation: Allocation = input.allocation ?? {
    pooled: equalShares(arms.length),
    bySegment: {},
    source: "equal",
  };
  const h = input.holdoutShare;
  const sharesOf = (stratum: string) => {
    const a = allocation.bySegment[stratum.slice(0, stratum.indexOf("|"))] ?? allocation.pooled;
    return [h, ...a.map((v) => (1 - h) * v)];
  };
  const seed = Math.floor(rng() * 2 ** 32);
  const slots = stratifiedSlots(
    candidates.map((c) => c.gid),
    candidates.map((c) => c.stratum),
    sharesOf,
    seed,
    rng,
  );
  const assignments: PlannedCustomer[] = candidates.map((c, i) => {
    const { aovMinor: _aov, byArm, ...rest } = c as ArmCandidate;
    const slot = slots[i];
    const p = sharesOf(c.stratum)[slot];
    if (slot === 0) return { ...rest, arm: "HOLDOUT", offerArm: null, armProbability: p };
    const k = slot - 1;
    return {
      ...rest,
      arm: "TREATMENT",
      offerArm: arms[k].key,
      armProbability: p,
      expectedCostMinor: byArm[k].cost,
      expectedLiftMinor: byArm[k].lift,
    };
  });
  const perArm = arms.map((a) => {
    const mine = assignments.filter((x) => x.offerArm === a.key);
    return {
      key: a.key,
      treated: mine.length,
      expectedCostMinor: Math.round(sum(mine.map((x) => x.expectedCostMinor))),
    };
  });
  return { assignments, arms: perArm, allocation };
}
