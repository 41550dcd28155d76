import { z } from "zod";
import { WHOLE_ORDER, type EngineKind } from "./kind";

/** Lapsing customers who still look alive: high churn risk, some chance they are not gone. */
export const WinBackRules = z
  .object({
    minChurnRisk: z.number().min(0).max(1).default(0.6),
    minPAlive: z.number().min(0).max(1).default(0.05),
    minOrders: z.number().int().min(1).default(1),
  })
  .default({});

export const winBack: EngineKind<z.output<typeof WinBackRules>> = {
  type: "WIN_BACK",
  mode: "offer",
  rulesKey: "winBack",
  ruleSchema: WinBackRules,
  defaults: { offer: { kind: "PERCENTAGE", value: 0.15 } },
  needs: { productsBought: false, secondOrderGaps: false },
  missingSetup: () => null,
  qualifies(customers, { rules }) {
    const r = rules.winBack;
    return customers.filter((c) => c.orders >= r.minOrders && c.churnRisk >= r.minChurnRisk && c.pAlive >= r.minPAlive);
  },
  // Most historic value still reachable.
  priority: (c) => c.spentMinor * c.pAlive,
  ...WHOLE_ORDER,
};
