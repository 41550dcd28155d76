import type { PlanInput } from "~/analytics/automations";

/** A win-back plan input with the kinds' default rules and guardrails; tests override what they vary. */
export function planInput(over: Partial<PlanInput> = {}): PlanInput {
  return {
    type: "WIN_BACK",
    offer: { kind: "PERCENTAGE", value: 0.15 },
    rules: {
      winBack: { minChurnRisk: 0.6, minPAlive: 0.05, minOrders: 1 },
      vip: { segments: ["Champions"], topClvShare: 0.05 },
      secondPurchase: { gapMultiplier: 1, maxGapMultiplier: 3 },
      bundle: { productA: null, productB: null, productBPriceMinor: 0, minPAlive: 0.2 },
    },
    holdoutShare: 0.2,
    codeExpiryDays: 14,
    budgetPerRunMinor: null,
    budgetPerMonthMinor: null,
    monthCommittedMinor: 0,
    maxCustomers: null,
    suppressionDays: 30,
    requireMarketingConsent: true,
    skipLikelyBuyers: { enabled: true, pPurchaseAbove: 0.8, minOrders: 3 },
    marginShare: 0.5,
    horizonDays: 90,
    assumedUplift: 0.03,
    typicalSecondGapDays: 40,
    shopAovMinor: 5000,
    ...over,
  };
}
