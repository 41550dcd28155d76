import type { OfferArm } from "./arms";
import type { Allocation } from "./bandit";

/**
 * Vocabulary of the automation engine: who qualifies for an offer, who is held out, what it is
 * expected to cost, and how its effect is measured. Plain data only — times are epoch ms, money
 * integer minor units, randomness an injected `Rng`.
 */

export const AUTOMATION_TYPES = [
  "WIN_BACK",
  "VIP_REWARD",
  "SECOND_PURCHASE",
  "BUNDLE_OFFER",
  "SEGMENT_WRITEBACK",
] as const;
export type AutomationType = (typeof AUTOMATION_TYPES)[number];

/* Each type's behaviour (offer or write-back, qualifier, rules, defaults) is its entry in ./kinds (D23). */

export type Arm = "TREATMENT" | "HOLDOUT";

/** What the engine knows about one customer at planning time. */
export interface CustomerFacts {
  gid: string;
  /** Shopify RFM group name from the latest scoring run; the randomisation stratum. */
  segment: string;
  churnRisk: number;
  /** P(≥1 order within `horizonDays`) from the customer model. */
  pPurchase: number;
  pAlive: number;
  clvMinor: number;
  /** Non-cancelled orders so far. */
  orders: number;
  firstOrderAt: number | null;
  lastOrderAt: number | null;
  spentMinor: number;
  /** Average order value (merchandise after discounts); 0 when the customer never ordered. */
  aovMinor: number;
  /** emailMarketingConsent.marketingState (SUBSCRIBED, NOT_SUBSCRIBED, UNSUBSCRIBED, PENDING, …). */
  marketingState: string;
  /** Last time the customer was put in any automation arm (treated or held out), or null. */
  lastOfferAt: number | null;
  /** Product GIDs the customer bought (bundle eligibility). */
  productsBought: readonly string[];
}

/** The discount a treated customer receives. */
export interface OfferSpec {
  /** PERCENTAGE: `value` is a share 0..1 of the order (bundle: of product B); AMOUNT: `value` in minor units. */
  kind: "PERCENTAGE" | "AMOUNT";
  value: number;
}

/** Eligibility thresholds per automation type (merchant-configurable, sane defaults in the model). */
export interface EligibilityRules {
  winBack: { minChurnRisk: number; minPAlive: number; minOrders: number };
  vip: { segments: string[]; topClvShare: number };
  /** One-time buyers whose first order is `gapMultiplier`…`maxGapMultiplier` typical gaps ago. */
  secondPurchase: { gapMultiplier: number; maxGapMultiplier: number };
  /** Customers who bought A but never B; the offer is on B. */
  bundle: { productA: string | null; productB: string | null; productBPriceMinor: number; minPAlive: number };
}

/** Everything planning needs besides the customers. */
export interface PlanInput {
  type: AutomationType;
  offer: OfferSpec;
  rules: EligibilityRules;
  /** Share of selected customers held out (stratified by segment). */
  holdoutShare: number;
  /** Days a code is valid; also the window in which purchase probabilities are evaluated. */
  codeExpiryDays: number;
  /** Cap on the expected discount cost of this run's treated customers; null = none. */
  budgetPerRunMinor: number | null;
  /** Cap per calendar month; `monthCommittedMinor` is what earlier runs this month already committed. */
  budgetPerMonthMinor: number | null;
  monthCommittedMinor: number;
  maxCustomers: number | null;
  /** Nobody gets two offers within this many days (held-out customers count as offered). */
  suppressionDays: number;
  /** Only customers with marketingState SUBSCRIBED (the automation sends marketing messages). */
  requireMarketingConsent: boolean;
  /** Skip customers who will probably buy anyway — only when the model has enough history on them. */
  skipLikelyBuyers: { enabled: boolean; pPurchaseAbove: number; minOrders: number };
  /** Gross margin share assumed where cost is unknown. */
  marginShare: number;
  /** Horizon of `pPurchase` in days. */
  horizonDays: number;
  /**
   * Assumed absolute uplift in P(purchase within the code window) for the preview's expected lift.
   * A prior, not a measurement: the results page reports what actually happened.
   */
  assumedUplift: number;
  /** Typical days between first and second order in this shop (second-purchase nudge). */
  typicalSecondGapDays: number;
  /** Shop-wide average order value, used for customers without history. */
  shopAovMinor: number;
  /**
   * Offer test (issue #18, D39): 2–4 arms replace `offer` for treated customers; empty = the single
   * offer, planned exactly as before arms existed.
   */
  arms?: readonly OfferArm[];
  /** Split of treated customers between `arms` (bandit.ts); null/absent = equal. */
  allocation?: Allocation | null;
  /** No arm may be deeper than this share of an order (the merchant's maximum). */
  maxDiscountShare?: number;
}

export type ExclusionReason =
  "suppressed" | "no-marketing-consent" | "likely-buyer" | "unprofitable" | "over-max-customers" | "over-budget";

export interface PlannedCustomer {
  gid: string;
  stratum: string;
  arm: Arm;
  /** P(purchase within the code window) without the offer. */
  pWindow: number;
  /** Expected discount cost if treated (P(buy with code) × discount on their typical order). */
  expectedCostMinor: number;
  /** Expected incremental gross margin if treated, under `assumedUplift`. */
  expectedLiftMinor: number;
  priority: number;
  /** Offer test only: the treated customer's arm key, and P(this customer got the slot they got). */
  offerArm?: string | null;
  armProbability?: number;
}

export interface Plan {
  /** Customers meeting the type's rule (before guardrails). */
  qualifying: number;
  excluded: Partial<Record<ExclusionReason, number>>;
  assignments: PlannedCustomer[];
  treated: number;
  holdout: number;
  /** Expected discount cost of the treated arm. */
  expectedCostMinor: number;
  /** Upper bound on the treated arm's expected cost, whatever the randomisation gives (what budgets check). */
  worstCaseCostMinor: number;
  /** Expected incremental gross margin after discount cost, under the assumed uplift. */
  expectedLiftMinor: number;
  expectedExtraOrders: number;
  /** The binding budget, when one cut the list. */
  budgetLimited: "run" | "month" | null;
  /** Offer test only: treated customers and expected cost per arm, and the split used. */
  arms?: { key: string; treated: number; expectedCostMinor: number }[];
  allocation?: Allocation;
}

/** One assigned customer's outcome in the measurement window. */
export interface UnitOutcome {
  arm: Arm;
  stratum: string;
  orders: number;
  /** Merchandise revenue after discounts, net of refunds. */
  revenueMinor: number;
  /** Gross margin after discounts (and so after the discount cost), net of refunds. */
  marginMinor: number;
  discountMinor: number;
  /** An order carried the customer's own automation code. */
  redeemed: boolean;
  /** Revenue of orders that carried the code (what "attributed revenue" tools report). */
  redeemedRevenueMinor: number;
}

export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

export interface ArmSummary {
  customers: number;
  converters: number;
  conversionRate: number;
  revenuePerCustomerMinor: number;
  marginPerCustomerMinor: number;
  discountPerCustomerMinor: number;
}

export type MeasurementStatus = "INSUFFICIENT" | "INTERIM" | "FINAL";

export interface Measurement {
  status: MeasurementStatus;
  /** Why there is not enough data yet (or why the result is only interim). */
  reasons: string[];
  level: number;
  treatment: ArmSummary;
  holdout: ArmSummary;
  redemptions: { count: number; rate: number; attributedRevenueMinor: number };
  /** Present unless INSUFFICIENT. Differences are treatment − holdout. */
  effect: {
    conversionLift: Interval;
    revenuePerCustomerMinor: Interval;
    marginPerCustomerMinor: Interval;
    /** Per-customer margin lift × treated customers. */
    totalIncrementalMarginMinor: Interval;
    /** Share of bootstrap resamples with a positive margin lift. */
    probabilityPositive: number;
  } | null;
}
