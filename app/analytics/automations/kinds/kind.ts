import type { z } from "zod";
import type { AutomationType, CustomerFacts, OfferSpec, PlanInput } from "../types";

/**
 * The engine side of one automation kind (D23): everything planning needs to know about it, as
 * data and pure functions. The app side (label, code prefix, tag, form) lives in
 * app/services/automations/kinds.ts and is keyed by the same `type`.
 */
export interface EngineKind<Rules = unknown> {
  type: AutomationType;
  /** "offer" kinds issue codes and keep a holdout; "writeback" kinds write tags/metafields only. */
  mode: "offer" | "writeback";
  /** Key of this kind's thresholds under `config.rules` / `PlanInput.rules`, when it has any. */
  rulesKey: keyof PlanInput["rules"] | null;
  /** The stored, merchant-configurable thresholds (defaults filled in by zod). */
  ruleSchema: z.ZodType<Rules, z.ZodTypeDef, unknown> | null;
  /** What "create" pre-fills beyond the config schema's own defaults. */
  defaults: {
    offer?: OfferSpec;
    skipLikelyBuyers?: boolean;
    sendsMessages?: boolean;
    budgetPerRunMinor?: number | null;
    budgetPerMonthMinor?: number | null;
  };
  /** Reads planning needs besides customer facts (the service loads only what a kind asks for). */
  needs: { productsBought: boolean; secondOrderGaps: boolean };
  /** Why the automation cannot plan yet (e.g. products not chosen), or null. */
  missingSetup(input: Pick<PlanInput, "rules">): string | null;
  /** Products the discount is restricted to (bundle: buy A, get B off), or null for the whole order. */
  discountProducts(rules: {
    bundle: { productA: string | null; productB: string | null };
  }): { productA: string; productB: string } | null;
  /** Customers meeting the kind's eligibility rule. */
  qualifies(customers: readonly CustomerFacts[], input: PlanInput, asOf: number): CustomerFacts[];
  /** Who goes first when a cap cuts the list (higher first). */
  priority(c: CustomerFacts): number;
  /** The amount the discount applies to: the whole order, or (bundle) one product. */
  discountBaseMinor(input: PlanInput, orderMinor: number): number;
  /** Value of the order a redeeming customer is expected to place. */
  orderValueMinor(input: PlanInput, aovMinor: number): number;
}

/** The common case: the discount applies to the customer's typical order. */
export const WHOLE_ORDER = {
  discountProducts: () => null,
  discountBaseMinor: (_input: PlanInput, orderMinor: number) => orderMinor,
  orderValueMinor: (_input: PlanInput, aovMinor: number) => aovMinor,
};

/** Default priority: most reachable customers with the largest typical order first. */
export function reachableOrderValue(c: CustomerFacts): number {
  return c.pAlive * Math.max(1, c.aovMinor);
}
