import { z } from "zod";
import { AUTOMATION_TYPES, ENGINE_KINDS, RULE_SCHEMAS, type AutomationType } from "../../analytics/automations";

/**
 * An automation's stored configuration: the zod schema (merchant-editable fields and each kind's
 * rule thresholds), the per-kind defaults "create" pre-fills, and parsing of the stored JSON.
 * Pure: no database access.
 */

export { AUTOMATION_TYPES, type AutomationType };

const OfferSchema = z.object({
  kind: z.enum(["PERCENTAGE", "AMOUNT"]).default("PERCENTAGE"),
  /** PERCENTAGE: share 0..1 (0.15 = 15% off); AMOUNT: minor units. */
  value: z.number().positive().default(0.15),
});

/** An offer test's arm (D39): the same discount shapes as the single offer. */
const ArmSchema = z.object({ kind: z.enum(["PERCENTAGE", "AMOUNT"]), value: z.number().positive() });

/**
 * Per-automation configuration. Fields left unset fall back to the shop's automation settings
 * (holdout share, code expiry, suppression) so one merchant setting governs every automation.
 */
export const AutomationConfigSchema = z
  .object({
    offer: OfferSchema.default({}),
    /**
     * Offer test (issue #18, D39): 2–4 discounts tested against each other and the holdout; the
     * allocation between them is learned run by run. Empty = the single `offer`, as before.
     */
    arms: z
      .array(ArmSchema)
      .max(4)
      .refine((a) => a.length === 0 || a.length >= 2, "An offer test needs 2–4 arms")
      .default([]),
    /** The merchant's maximum: no arm (nor the single offer) may be deeper than this share off. */
    maxDiscountShare: z.number().min(0.01).max(0.9).default(0.3),
    holdoutShare: z.number().min(0.05).max(0.5).optional(),
    codeExpiryDays: z.number().int().min(1).max(90).optional(),
    /** Outcomes are read on orders up to this many days after the run (default: code expiry + 16). */
    measurementDays: z.number().int().min(7).max(180).optional(),
    suppressionDays: z.number().int().min(0).max(365).optional(),
    budgetPerRunMinor: z.number().int().positive().nullable().default(50_000),
    budgetPerMonthMinor: z.number().int().positive().nullable().default(200_000),
    maxCustomers: z.number().int().positive().nullable().default(null),
    /** The automation's code reaches customers by marketing email/Flow: consent required. */
    sendsMessages: z.boolean().default(true),
    skipLikelyBuyers: z
      .object({
        enabled: z.boolean().default(true),
        pPurchaseAbove: z.number().min(0).max(1).default(0.8),
        minOrders: z.number().int().min(1).default(3),
      })
      .default({}),
    /** Prior uplift used by the preview only (absolute, in the code window). */
    assumedUplift: z.number().min(0).max(0.5).default(0.03),
    /** Each kind's thresholds under its `rulesKey` (app/analytics/automations/kinds). */
    rules: z.object(RULE_SCHEMAS).default({}),
  })
  .default({});

export type AutomationConfig = z.infer<typeof AutomationConfigSchema>;

/** Sane defaults per type: what "create" pre-fills (each kind's `defaults`, D23). */
export function defaultConfigFor(type: AutomationType): AutomationConfig {
  const base = AutomationConfigSchema.parse({});
  const d = ENGINE_KINDS[type].defaults;
  return {
    ...base,
    ...(d.offer ? { offer: { ...d.offer } } : {}),
    ...(d.skipLikelyBuyers === undefined
      ? {}
      : { skipLikelyBuyers: { ...base.skipLikelyBuyers, enabled: d.skipLikelyBuyers } }),
    ...(d.sendsMessages === undefined ? {} : { sendsMessages: d.sendsMessages }),
    ...(d.budgetPerRunMinor === undefined ? {} : { budgetPerRunMinor: d.budgetPerRunMinor }),
    ...(d.budgetPerMonthMinor === undefined ? {} : { budgetPerMonthMinor: d.budgetPerMonthMinor }),
  };
}

export function parseAutomationConfig(json: unknown): AutomationConfig {
  return AutomationConfigSchema.parse(json ?? {});
}
