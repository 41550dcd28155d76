import { z } from "zod";
import { DAY_MS } from "../../time";
import { reachableOrderValue, WHOLE_ORDER, type EngineKind } from "./kind";

/** One-time buyers whose first order is `gapMultiplier`…`maxGapMultiplier` typical gaps ago. */
export const SecondPurchaseRules = z
  .object({
    gapMultiplier: z.number().min(0.25).max(10).default(1),
    maxGapMultiplier: z.number().min(0.5).max(20).default(3),
  })
  .default({});

export const secondPurchase: EngineKind<z.output<typeof SecondPurchaseRules>> = {
  type: "SECOND_PURCHASE",
  mode: "offer",
  rulesKey: "secondPurchase",
  ruleSchema: SecondPurchaseRules,
  defaults: { offer: { kind: "PERCENTAGE", value: 0.1 } },
  needs: { productsBought: false, secondOrderGaps: true },
  missingSetup: () => null,
  qualifies(customers, input, asOf) {
    const gap = Math.max(1, input.typicalSecondGapDays);
    const r = input.rules.secondPurchase;
    return customers.filter((c) => {
      if (c.orders !== 1 || c.firstOrderAt === null) return false;
      const days = (asOf - c.firstOrderAt) / DAY_MS;
      return days >= gap * r.gapMultiplier && days <= gap * r.maxGapMultiplier;
    });
  },
  priority: reachableOrderValue,
  ...WHOLE_ORDER,
};
