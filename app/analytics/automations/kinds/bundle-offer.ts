import { z } from "zod";
import { reachableOrderValue, type EngineKind } from "./kind";

/** Customers who bought product A but never B; the offer is on B. */
export const BundleRules = z
  .object({
    productA: z.string().nullable().default(null),
    productB: z.string().nullable().default(null),
  })
  .default({});

export const bundleOffer: EngineKind<z.output<typeof BundleRules>> = {
  type: "BUNDLE_OFFER",
  mode: "offer",
  rulesKey: "bundle",
  ruleSchema: BundleRules,
  defaults: { offer: { kind: "PERCENTAGE", value: 0.2 } },
  needs: { productsBought: true, secondOrderGaps: false },
  missingSetup: ({ rules }) =>
    rules.bundle.productA && rules.bundle.productB ? null : "Choose the bundle's two products first.",
  qualifies(customers, { rules }) {
    const { productA, productB, minPAlive } = rules.bundle;
    if (!productA || !productB) return [];
    return customers.filter(
      (c) => c.pAlive >= minPAlive && c.productsBought.includes(productA) && !c.productsBought.includes(productB),
    );
  },
  discountProducts: ({ bundle: { productA, productB } }) => (productA && productB ? { productA, productB } : null),
  priority: reachableOrderValue,
  // The discount applies to product B only; the expected order is the usual one plus B.
  discountBaseMinor: (input) => input.rules.bundle.productBPriceMinor,
  orderValueMinor: (input, aovMinor) => aovMinor + input.rules.bundle.productBPriceMinor,
};
