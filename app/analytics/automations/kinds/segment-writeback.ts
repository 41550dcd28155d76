import { reachableOrderValue, WHOLE_ORDER, type EngineKind } from "./kind";

/** Segment → Shopify write-back: every scored customer; no code, no holdout, no budget. */
export const segmentWriteback: EngineKind<null> = {
  type: "SEGMENT_WRITEBACK",
  mode: "writeback",
  rulesKey: null,
  ruleSchema: null,
  defaults: { sendsMessages: false, budgetPerRunMinor: null, budgetPerMonthMinor: null },
  needs: { productsBought: false, secondOrderGaps: false },
  missingSetup: () => null,
  qualifies: (customers) => customers.slice(),
  priority: reachableOrderValue,
  ...WHOLE_ORDER,
};
