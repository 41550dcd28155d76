import { z } from "zod";
import { WHOLE_ORDER, type EngineKind } from "./kind";

/** Buyers in the chosen RFM segments, or in the top share by CLV. */
export const VipRules = z
  .object({
    segments: z.array(z.string()).default(["Champions"]),
    topClvShare: z.number().min(0).max(0.5).default(0.05),
  })
  .default({});

export const vipReward: EngineKind<z.output<typeof VipRules>> = {
  type: "VIP_REWARD",
  mode: "offer",
  rulesKey: "vip",
  ruleSchema: VipRules,
  // A loyalty reward: VIPs buy often, so "skip likely buyers" would skip them all. The holdout
  // shows whether the reward pays for itself.
  defaults: { offer: { kind: "PERCENTAGE", value: 0.2 }, skipLikelyBuyers: false },
  needs: { productsBought: false, secondOrderGaps: false },
  missingSetup: () => null,
  qualifies(customers, { rules }) {
    const buyers = customers.filter((c) => c.orders > 0);
    const byClv = buyers.slice().sort((a, b) => b.clvMinor - a.clvMinor || (a.gid < b.gid ? -1 : 1));
    const topN = Math.floor(byClv.length * rules.vip.topClvShare);
    const top = new Set(byClv.slice(0, topN).map((c) => c.gid));
    const segments = new Set(rules.vip.segments);
    return buyers.filter((c) => segments.has(c.segment) || top.has(c.gid));
  },
  priority: (c) => c.clvMinor,
  ...WHOLE_ORDER,
};
